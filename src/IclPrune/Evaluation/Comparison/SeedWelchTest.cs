using IclPrune.Evaluation.Statistics;
using MathNet.Numerics.Distributions;

namespace IclPrune.Evaluation.Comparison;

/// <summary>
/// The test for two sides that used different demonstration seeds: Welch's t-test on the per-seed accuracies. Each
/// seed's demonstrations move every item's prompt at once, so items are not independent across a seed change (the
/// calibration in docs/assertions.md measured 22% false drops for an item-level test there); the seed is the unit.
/// Both sides score the same items, so item difficulty cancels out of the difference and the per-seed accuracies are
/// independent draws given the items. Assumes per-seed accuracies are roughly normal (t is robust to mild skew) and
/// needs at least two seeds on each side to estimate the spread; the interval is Welch's, with Welch-Satterthwaite df.
/// </summary>
public static class SeedWelchTest
{
    public sealed record Result(double Difference, Interval Ci95, double PDrop, double PImprovement, double DegreesOfFreedom);

    public static Result? Run(IReadOnlyList<double> baseline, IReadOnlyList<double> candidate)
    {
        if (baseline.Count < 2 || candidate.Count < 2) return null;
        var (mb, vb) = SeedAggregate.MeanAndVariance(baseline);
        var (mc, vc) = SeedAggregate.MeanAndVariance(candidate);
        double eb = vb / baseline.Count, ec = vc / candidate.Count;
        double se = Math.Sqrt(eb + ec);
        double difference = mc - mb;
        if (se == 0)
            return new Result(difference, new Interval(difference, difference), difference < 0 ? 0 : 1, difference > 0 ? 0 : 1, double.PositiveInfinity);
        double df = (eb + ec) * (eb + ec) / (eb * eb / (baseline.Count - 1) + ec * ec / (candidate.Count - 1));
        double t = difference / se;
        double half = StudentT.InvCDF(0, 1, df, 0.975) * se;
        return new Result(difference, new Interval(Math.Max(-1, difference - half), Math.Min(1, difference + half)),
            StudentT.CDF(0, 1, df, t), 1 - StudentT.CDF(0, 1, df, t), df);
    }
}
