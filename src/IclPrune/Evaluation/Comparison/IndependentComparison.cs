using IclPrune.Evaluation.Statistics;
using MathNet.Numerics.Distributions;

namespace IclPrune.Evaluation.Comparison;

/// <summary>
/// Two accuracies measured on different items (a stale snapshot: the data, template or shots changed), compared as
/// two independent samples of items: each item contributes its seed-averaged correctness, the difference of the
/// means gets the unpooled (Welch) standard error sqrt(s1^2/n1 + s2^2/n2), and the z statistic gives the p-values.
/// It assumes independent items and a normal mean (large n); it is shown to the reviewer for orientation only, the
/// gate never passes on it.
/// </summary>
public sealed record IndependentComparison(int BaselineItems, int CandidateItems, double BaselineAccuracy,
    double CandidateAccuracy, double Difference, Interval Ci95, double PDrop)
{
    public static IndependentComparison Compare(ItemScores baseline, ItemScores candidate)
    {
        var (mb, vb) = MeanAndVariance(baseline);
        var (mc, vc) = MeanAndVariance(candidate);
        double se = Math.Sqrt(vb / baseline.Items + vc / candidate.Items);
        double difference = mc - mb;
        const double z = WilsonInterval.Z95;
        double pDrop = se == 0 ? (difference < 0 ? 0 : 1) : Normal.CDF(0, 1, difference / se);
        return new IndependentComparison(baseline.Items, candidate.Items, mb, mc, difference,
            new Interval(Math.Max(-1, difference - z * se), Math.Min(1, difference + z * se)), pDrop);
    }

    static (double Mean, double Variance) MeanAndVariance(ItemScores side)
    {
        if (side.Items == 0) throw new IclPruneException("an unpaired comparison needs at least one item on each side");
        return SeedAggregate.MeanAndVariance(Enumerable.Range(0, side.Items).Select(side.MeanOf).ToArray());
    }
}
