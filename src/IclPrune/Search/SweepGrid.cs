using IclPrune.Pruning;

namespace IclPrune.Search;

/// <summary>
/// The cells of a sweep: every layer x target x rate, in that nesting (layer outermost, so configs of one layer are
/// consecutive and can share the hidden states entering it). A target is a spec's target word or list ("mlp",
/// "attn", "q,v"): one heatmap each.
/// </summary>
public sealed record SweepGrid(IReadOnlyList<int> Layers, IReadOnlyList<string> Targets, IReadOnlyList<decimal> Rates)
{
    public IEnumerable<SweepCell> Cells()
    {
        foreach (int layer in Layers)
            foreach (string target in Targets)
                foreach (decimal rate in Rates)
                    yield return new SweepCell(layer, target, rate);
    }

    /// <summary>Checks every target word parses (a usage error before any evaluation runs).</summary>
    public void Validate()
    {
        if (Layers.Count == 0 || Targets.Count == 0 || Rates.Count == 0)
            throw new UsageException("a sweep needs at least one layer, one target and one rate.");
        foreach (string target in Targets) PruneSpec.ParseTargets(target, target);
        foreach (decimal rate in Rates) KeptRank.FromRate(rate);
    }
}

/// <summary>One configuration of a sweep.</summary>
public sealed record SweepCell(int Layer, string Target, decimal Rate)
{
    public PruneSpec Spec => new(PruneSpec.ParseTargets(Target, Target), LayerSelection.Single(Layer), KeptRank.FromRate(Rate));
    public string Key => Spec.ToString();
}
