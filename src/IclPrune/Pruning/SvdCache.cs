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

    public SvdCache(bool enabled = true) => Enabled = enabled;

    public bool Enabled { get; }

    /// <summary>SVDs actually computed (cache misses, or every request when disabled).</summary>
    public int Decompositions { get; private set; }

    public int Count => _factors.Count;

    /// <summary>
    /// The factors of <paramref name="key"/>, computed by <paramref name="decompose"/> on a miss. When the cache is
    /// disabled the caller owns (and must dispose) the returned factors; see <see cref="Owns"/>.
    /// </summary>
    public SvdFactors Get(string key, Func<SvdFactors> decompose)
    {
        if (Enabled && _factors.TryGetValue(key, out var cached)) return cached;
        var factors = decompose();
        Decompositions++;
        if (Enabled) _factors[key] = factors;
        return factors;
    }

    public bool Owns(SvdFactors factors) => Enabled && _factors.ContainsValue(factors);

    public void Clear()
    {
        foreach (var f in _factors.Values) f.Dispose();
        _factors.Clear();
    }

    public void Dispose() => Clear();
}
