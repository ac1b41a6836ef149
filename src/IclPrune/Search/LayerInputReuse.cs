using System.Security.Cryptography;
using IclPrune.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Search;

/// <summary>
/// A model wrapper that skips the layers a pruning configuration leaves unchanged (issue item 3). When every pruned
/// matrix is in layer l or deeper, the hidden states entering layer l (and the KV cache of layers &lt; l) are the same
/// for every such configuration; they are computed once per distinct input and reused, so each later forward runs
/// only layers l.. . Set <see cref="ReuseFrom"/> before each evaluation (null: plain pass-through).
/// Inputs are recognised by content: token ids, mask, the prefix they continue (a cache this wrapper returned) and
/// whether a cache is asked for. Memory: the stored states of one layer (hidden [B,T,D] of every distinct input, and
/// the lower layers' KV of each prefix) on the model's device; switching to another layer drops the previous one.
/// </summary>
public sealed class LayerInputReuse : ICausalLanguageModel
{
    readonly ICausalLanguageModel _inner;
    readonly Dictionary<string, Entry> _memo = new();
    // Prefix caches this wrapper returned, by a fingerprint of their content (survives Expand views).
    readonly Dictionary<string, string> _prefixTags = new();
    int? _memoLayer;

    public LayerInputReuse(ICausalLanguageModel inner) => _inner = inner;

    /// <summary>The first layer the current configuration changes; null or 0: no reuse.</summary>
    public int? ReuseFrom { get; set; }

    public int Hits { get; private set; }
    public int Misses { get; private set; }

    public ModelDescription Description => _inner.Description;
    public IReadOnlyDictionary<string, Parameter> NamedParameters => _inner.NamedParameters;
    public Tensor Logits(Tensor hidden, long[]? vocabIds = null) => _inner.Logits(hidden, vocabIds);

    public DecoderOutput Forward(DecoderInput input)
    {
        if (ReuseFrom is not int layer || layer <= 0 || input.StartLayer != 0 || input.InputHidden is not null
            || input.CaptureLayer is not null || input.InputIds is null)
            return _inner.Forward(input);
        if (_memoLayer != layer) Clear(layer);
        string? key = Key(input, layer);
        if (key is null) return _inner.Forward(input);   // continues a cache we did not make: nothing to match it by

        if (_memo.TryGetValue(key, out var entry))
        {
            Hits++;
            var output = _inner.Forward(new DecoderInput(null, input.AttentionMask, input.Past, input.UseCache)
            {
                StartLayer = layer,
                InputHidden = entry.Hidden,
            });
            if (!input.UseCache) return output;
            // Lower layers from the memo (aliases: disposing the returned cache must not free the memo), upper from this run.
            var partial = output.Cache!;
            var layers = entry.Lower!.Select(l => (l.Key.alias(), l.Value.alias())).Concat(partial.Layers).ToList();
            var cache = new KeyValueCache(layers, partial.Mask);
            _prefixTags[CacheFingerprint(cache, layer)] = key;
            return new DecoderOutput(output.Hidden, cache);
        }

        Misses++;
        var full = _inner.Forward(input with { CaptureLayer = layer });
        var hidden = full.LayerInput!;
        hidden.DetachFromDisposeScope();
        List<(Tensor, Tensor)>? lower = null;
        if (input.UseCache)
        {
            lower = full.Cache!.Layers.Take(layer).Select(l => (Keep(l.Key), Keep(l.Value))).ToList();
            _prefixTags[CacheFingerprint(full.Cache, layer)] = key;
        }
        _memo[key] = new Entry(hidden, lower);
        return new DecoderOutput(full.Hidden, full.Cache);
    }

    static Tensor Keep(Tensor t)
    {
        var alias = t.alias();
        alias.DetachFromDisposeScope();
        return alias;
    }

    /// <summary>
    /// Identifies a prefix cache by its length and the key of its last token in layer l-1 (batch row 0): that key
    /// depends on every token before it, and layers below l are the same in every configuration that reuses them.
    /// </summary>
    static string CacheFingerprint(KeyValueCache cache, int layer)
    {
        using var scope = NewDisposeScope();
        var key = cache.Layers[layer - 1].Key;                       // [B, Hkv, P, Dh]
        var last = key[0].select(1, key.shape[2] - 1).contiguous().cpu();   // [Hkv, Dh]
        return $"{key.shape[2]}:{Convert.ToHexString(SHA256.HashData(last.bytes))}";
    }

    string? Key(DecoderInput input, int layer)
    {
        string prefix = "";
        if (input.Past is { } past)
        {
            if (past.Layers.Count < layer || !_prefixTags.TryGetValue(CacheFingerprint(past, layer), out var tag)) return null;
            prefix = tag + "@" + past.BatchSize;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{prefix}|{input.UseCache}|{string.Join(",", input.InputIds!.shape)}|"));
        using (var ids = input.InputIds.cpu().contiguous()) hash.AppendData(ids.bytes);
        if (input.AttentionMask is { } mask)
            using (var m = mask.to(ScalarType.Int64).cpu().contiguous()) hash.AppendData(m.bytes);
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    void Clear(int layer)
    {
        foreach (var entry in _memo.Values) entry.Dispose();
        _memo.Clear();
        _prefixTags.Clear();
        _memoLayer = layer;
    }

    public void Dispose() => Clear(0);   // the wrapped model belongs to the caller

    sealed record Entry(Tensor Hidden, List<(Tensor Key, Tensor Value)>? Lower) : IDisposable
    {
        public void Dispose()
        {
            Hidden.Dispose();
            foreach (var (k, v) in Lower ?? []) { k.Dispose(); v.Dispose(); }
        }
    }
}
