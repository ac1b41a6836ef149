using IclPrune.Pruning;

namespace IclPrune.Search;

/// <summary>
/// Algorithm 1's choices. TopK and Reduce are not given by the paper (docs/method.md section 2): defaults k = 3 and the
/// per-layer number = max over the module's matrices. Racing: null scores every rate on the whole validation split (the
/// paper's Algorithm 1, the default); set, the rates race on growing validation subsets (<see cref="RateRace"/>).
/// </summary>
public sealed record SearchOptions(string Module, int TopK = SearchOptions.DefaultTopK, ConditionReduce Reduce = ConditionReduce.Max,
    IReadOnlyList<decimal>? Rates = null, RacingOptions? Racing = null)
{
    public const int DefaultTopK = 3;

    /// <summary>The default k for a model: 3, or every layer of a model with fewer (the bundled tiny model has 2).</summary>
    public static int DefaultTopKFor(int layerCount) => Math.Min(DefaultTopK, layerCount);

    public IReadOnlyList<decimal> Grid => Rates ?? RateGrid.Paper;

    public void Validate(int layerCount)
    {
        if (!ModuleConditions.Modules.Contains(Module))
            throw new UsageException($"'{Module}' is not a module Algorithm 1 prunes; choose one of: {string.Join(", ", ModuleConditions.Modules)}.");
        if (TopK < 1 || TopK > layerCount)
            throw new UsageException($"keeping the top {TopK} layers is invalid: expected 1..{layerCount} for a {layerCount}-layer model.");
        foreach (decimal rate in Grid) KeptRank.FromRate(rate);
        Racing?.Validate();
    }
}
