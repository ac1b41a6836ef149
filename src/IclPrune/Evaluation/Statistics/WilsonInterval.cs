namespace IclPrune.Evaluation.Statistics;

/// <summary>
/// Wilson score interval for a binomial proportion (Wilson 1927; Brown, Cai and DasGupta 2001 recommend it over the
/// Wald interval for small n and accuracies near 0 or 1, which ICL on 56-item CB is). Unlike Wald it stays inside
/// [0, 1] and does not collapse to a point at 0 or n successes.
/// </summary>
public static class WilsonInterval
{
    /// <summary>The two-sided 95% normal quantile, z_{0.975}.</summary>
    public const double Z95 = 1.959963984540054;

    public static Interval Compute(long successes, long n, double z = Z95)
    {
        if (n < 0 || successes < 0 || successes > n)
            throw new ArgumentOutOfRangeException(nameof(successes), $"{successes} successes of {n} trials");
        if (n == 0) return new Interval(0, 1);
        double p = (double)successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denominator;
        double half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        // Exact endpoints at 0 and n successes; the formula gives them only up to rounding.
        double low = successes == 0 ? 0 : Math.Max(0, center - half);
        double high = successes == n ? 1 : Math.Min(1, center + half);
        return new Interval(low, high);
    }
}
