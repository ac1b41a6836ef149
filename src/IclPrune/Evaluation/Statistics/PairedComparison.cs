namespace IclPrune.Evaluation.Statistics;

/// <summary>One paired comparison: the table, the difference, its 95% interval and the exact McNemar p-value.</summary>
public sealed record PairedComparison(PairedCounts Counts, double Difference, Interval Ci95, double PValue)
{
    public static PairedComparison Of(PairedCounts counts) =>
        new(counts, counts.Difference, PairedDifferenceInterval.Compute(counts), ExactMcNemar.TwoSidedPValue(counts));

    public static PairedComparison Of(IReadOnlyList<bool> baseline, IReadOnlyList<bool> candidate) =>
        Of(PairedCounts.From(baseline, candidate));
}
