using IclPrune.Evaluation.Statistics;
using MathNet.Numerics.Distributions;

namespace IclPrune.Evaluation.Comparison;

/// <summary>
/// 95% interval for the accuracy difference with the item as the independent unit: the mean of the per-item
/// differences d_i plus or minus t(0.975, n-1) times their standard error sd(d)/sqrt(n). This is the cluster-robust
/// (clustered by item) standard error that Miller (2024, "Adding Error Bars to Evals", arXiv:2411.00640) recommends
/// for paired eval differences; the t quantile instead of z keeps it honest for small item counts. It assumes items
/// are independent draws and n is large enough for the mean to be near normal; with no flipped item at all sd is 0 and
/// the interval is the single point 0 (the sign-flip test's p is 1 then, which is the statement that matters).
/// </summary>
public static class ClusteredDifferenceInterval
{
    public static Interval Compute(IReadOnlyList<double> differences, double level = 0.95)
    {
        int n = differences.Count;
        if (n == 0) throw new ArgumentException("an interval needs at least one item", nameof(differences));
        if (n == 1) return new Interval(-1, 1);
        var (mean, variance) = SeedAggregate.MeanAndVariance(differences);
        double half = StudentT.InvCDF(0, 1, n - 1, 0.5 + level / 2) * Math.Sqrt(variance / n);
        return new Interval(Math.Max(-1, mean - half), Math.Min(1, mean + half));
    }
}
