namespace IclPrune.Evaluation.Statistics;

/// <summary>
/// Wilson score interval for a binomial proportion (Wilson 1927; Brown, Cai and DasGupta 2001 recommend it over the
/// Wald interval for small n and accuracies near 0 or 1, which ICL on 56-item CB is).
/// </summary>
public static class WilsonInterval
{
    /// <summary>The two-sided 95% normal quantile, z_{0.975}.</summary>
    public const double Z95 = 1.959963984540054;

    public static Interval Compute(int successes, int n, double z = Z95)
    {
        if (n < 0 || successes < 0 || successes > n)
            throw new ArgumentOutOfRangeException(nameof(successes), $"{successes} successes of {n} trials");
        if (n == 0) return new Interval(0, 1);
        double p = (double)successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denominator;
        double half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Interval(Math.Max(0, center - half), Math.Min(1, center + half));
    }
}
