using static TorchSharp.torch;

namespace IclPrune.Models;

/// <summary>
/// Keys and values of every layer for P tokens already seen: per layer K, V [B, Hkv, P, Dh], and the padding mask
/// of those tokens [B, P] (1 real, 0 pad), so that continuations attend only to real past tokens and count positions
/// from the real length. Computed once for the shared demonstrations of a prompt; a batch-1 cache continues a batch of
/// any size as a shared prefix, attended without per-row copies when it has no padding (Layers/SharedPrefixAttention).
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    public KeyValueCache(IReadOnlyList<(Tensor Key, Tensor Value)> layers, Tensor mask)
    {
        Layers = layers;
        Mask = mask;
    }

    public IReadOnlyList<(Tensor Key, Tensor Value)> Layers { get; }

    /// <summary>[B, P] int64: 1 for a real cached token, 0 for padding.</summary>
    public Tensor Mask { get; }

    public long BatchSize => Mask.shape[0];
    public long Length => Mask.shape[1];

    /// <summary>
    /// A batch-<paramref name="batch"/> view of a batch-1 cache (no copy: expand shares storage), so one prefix
    /// serves every continuation in a batch.
    /// </summary>
    public KeyValueCache Expand(long batch)
    {
        if (BatchSize != 1)
            throw new InvalidOperationException($"only a batch-1 cache can be expanded; this one has batch {BatchSize}.");
        var layers = Layers.Select(l => (l.Key.expand(batch, -1, -1, -1), l.Value.expand(batch, -1, -1, -1))).ToList();
        return new KeyValueCache(layers, Mask.expand(batch, -1));
    }

    public void Dispose()
    {
        foreach (var (key, value) in Layers)
        {
            key.Dispose();
            value.Dispose();
        }
        Mask.Dispose();
    }
}
