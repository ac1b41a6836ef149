namespace IclPrune.Pruning;

/// <summary>
/// Keeps the SVD of every matrix decomposed during a run, keyed by <see cref="MatrixSelection.Key"/>, so a sweep over
/// R rates costs one SVD per matrix instead of R (issue item 3). Factors are always of the ORIGINAL weights: the
/// pruner only decomposes while no pruning scope is active. Disabled, it decomposes on every apply (for A/B runs).
/// Memory: U, S, Vh in float32 on the model's device, roughly (m + n) * min(m, n) floats per matrix.
/// </summary>
public sealed class SvdCache : IDisposable
{
    readonly Dictionary<string, SvdFactors> _factors = new();
    readonly Dictionary<string, int> _layers = new();

    public SvdCache(bool enabled = true) => Enabled = enabled;

    public bool Enabled { get; }

    /// <summary>SVDs actually computed (cache misses, or every request when disabled).</summary>
    public int Decompositions { get; private set; }

    public int Count => _factors.Count;

    /// <summary>
    /// The factors of <paramref name="key"/>, computed by <paramref name="decompose"/> on a miss. When the cache is
    /// disabled the caller owns (and must dispose) the returned factors; see <see cref="Owns"/>.
    /// </summary>
    public SvdFactors Get(MatrixSelection matrix, Func<SvdFactors> decompose)
    {
        if (Enabled && _factors.TryGetValue(matrix.Key, out var cached)) return cached;
        var factors = decompose();
        Decompositions++;
        if (Enabled)
        {
            _factors[matrix.Key] = factors;
            _layers[matrix.Key] = matrix.Layer;
        }
        return factors;
    }

    /// <summary>
    /// Frees the factors of every layer not in <paramref name="layers"/>. Sweeps visit layers one after another, so
    /// keeping only the current layer's factors bounds the cache to one layer (GPT-J MLP: ~0.6 GB) instead of all.
    /// </summary>
    public void RetainLayers(IReadOnlySet<int> layers)
    {
        foreach (var key in _layers.Where(kv => !layers.Contains(kv.Value)).Select(kv => kv.Key).ToList())
        {
            _factors[key].Dispose();
            _factors.Remove(key);
            _layers.Remove(key);
        }
    }

    public bool Owns(SvdFactors factors) => Enabled && _factors.ContainsValue(factors);

    public void Clear()
    {
        foreach (var f in _factors.Values) f.Dispose();
        _factors.Clear();
        _layers.Clear();
    }

    public void Dispose() => Clear();
}
