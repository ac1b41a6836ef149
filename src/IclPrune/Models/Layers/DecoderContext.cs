using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Models.Layers;

/// <summary>
/// What every layer of one forward shares: token positions, the attention mask and the KV cache in and out.
/// Built once per forward (inside its dispose scope). Shapes: B batch, T new tokens, P cached tokens.
/// </summary>
internal sealed class DecoderContext
{
    DecoderContext(Tensor positions, Tensor? attentionMask, Tensor fullMask, KeyValueCache? past, bool useCache, bool sharedPrefix)
    {
        Positions = positions;
        SharedPrefix = sharedPrefix;
        AttentionMask = attentionMask;
        FullMask = fullMask;
        Past = past;
        Present = useCache ? new List<(Tensor, Tensor)>() : null;
    }

    /// <summary>[B,T] int64: the index of each token among the real tokens before it (padding does not count), so
    /// left padding and a padded cache give every real token the position it has in an unpadded run.</summary>
    public Tensor Positions { get; }

    /// <summary>
    /// True when <see cref="Past"/> is one batch-1 prefix of real tokens shared by every row, attended without copies
    /// (<see cref="SharedPrefixAttention"/>); <see cref="AttentionMask"/> then covers the new tokens only, [B,1,T,T].
    /// </summary>
    public bool SharedPrefix { get; }

    /// <summary>[B,1,T,P+T] bool (true: may attend), or null when plain causal attention over T is exact
    /// (no cache, no padding), which lets scaled_dot_product_attention take its fast causal path.</summary>
    public Tensor? AttentionMask { get; }

    /// <summary>[B,P+T] int64 padding mask of cached + new tokens (becomes the mask of the returned cache).</summary>
    public Tensor FullMask { get; }

    public KeyValueCache? Past { get; }

    /// <summary>Rotary cos and sin [B,1,T,R/2] for <see cref="Positions"/>, computed once per forward by rotary families.</summary>
    public (Tensor Cos, Tensor Sin)? Rotary { get; set; }

    /// <summary>K, V of past + new tokens per layer, filled as layers run, when a cache is asked for.</summary>
    public List<(Tensor Key, Tensor Value)>? Present { get; }

    /// <param name="slidingWindow">Mistral's sliding_window: a query sees only keys less than this many real tokens
    /// before it (itself included), as transformers' sliding_window_overlay (kv_idx &gt; q_idx - window).</param>
    public static DecoderContext Create(long batch, long length, Tensor? mask, KeyValueCache? past, bool useCache, Device device,
        int? slidingWindow = null, PrefixAttention prefixAttention = PrefixAttention.Auto)
    {
        long cached = past?.Length ?? 0;
        var newMask = mask is null
            ? torch.ones([batch, length], ScalarType.Int64, device)
            : mask.to(ScalarType.Int64, device);
        var pastMask = past?.Mask.to(ScalarType.Int64, device);
        // A batch-1 cache continued by a batch of rows is a shared prefix. Without padding or a sliding window every
        // new token sees all of it, so it is attended once for the batch; otherwise it is broadcast like a per-row
        // cache (the returned cache, when asked for, needs per-row K/V anyway).
        bool broadcastPast = past is not null && past.BatchSize == 1;
        bool windowed = slidingWindow is { } w && cached + length > w;
        bool merged = prefixAttention == PrefixAttention.Merged
            || (prefixAttention == PrefixAttention.Auto && device.type == DeviceType.CUDA);
        bool shared = merged && broadcastPast && cached > 0 && !useCache && !windowed && pastMask!.min().item<long>() == 1;
        if (broadcastPast) pastMask = pastMask!.expand(batch, cached);
        var full = past is null ? newMask.clone() : torch.cat([pastMask!, newMask], 1);
        // Position of token t = number of real tokens up to and including it, minus one. Pads get a clamped dummy.
        var allPositions = (full.cumsum(1) - 1).clamp_min(0);                                 // [B, P+T]
        var positions = allPositions.narrow(1, cached, length);                              // [B, T]

        long total = cached + length;
        bool hasPadding = mask is not null && newMask.min().item<long>() == 0;
        Tensor? attention = null;
        if (shared)
        {
            var keyIndex = torch.arange(length, device: device).view(1, length);
            var queryIndex = torch.arange(length, device: device).view(length, 1);
            var allowed = keyIndex.le(queryIndex).view(1, 1, length, length)
                .logical_and(newMask.to(ScalarType.Bool).view(batch, 1, 1, length));                  // [B,1,T,T]
            attention = allowed.logical_or(keyIndex.eq(queryIndex).view(1, 1, length, length));   // pads see themselves (finite rows)
        }
        else if (past is not null || hasPadding || windowed)
        {
            var keyIndex = torch.arange(total, device: device).view(1, total);             // [1, P+T]
            var queryIndex = torch.arange(length, device: device).view(length, 1) + cached; // [T, 1]
            var causal = keyIndex.le(queryIndex);                                           // [T, P+T]
            var realKey = full.to(ScalarType.Bool).view(batch, 1, 1, total);               // [B,1,1,P+T]
            // A padding query with no real token before it would have an all-false row, and softmax over nothing
            // is NaN; letting every query see itself keeps rows finite (padding outputs are never read).
            var self = keyIndex.eq(queryIndex);                                             // [T, P+T]
            var allowed = causal.view(1, 1, length, total).logical_and(realKey);             // [B,1,T,P+T]
            if (windowed)
            {
                // Distance in real tokens (padding does not count), so padded and unpadded runs agree.
                var distance = positions.view(batch, 1, length, 1) - allPositions.view(batch, 1, 1, total);
                allowed = allowed.logical_and(distance.lt(slidingWindow!.Value));
            }
            attention = allowed.logical_or(self.view(1, 1, length, total));
        }
        return new DecoderContext(positions, attention, full, past, useCache, shared);
    }
}
