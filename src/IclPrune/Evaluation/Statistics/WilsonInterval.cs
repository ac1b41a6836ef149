namespace IclPrune.Evaluation.Statistics;

/// <summary>
/// Wilson score interval for a binomial proportion (Wilson 1927). Unlike the Wald interval it stays inside [0, 1]
/// and does not collapse to a point at 0 or n successes, which accuracies near 1.0 on small tasks hit often.
/// </summary>
public static class WilsonInterval
{
    /// <summary>z for a two-sided 95% interval (the 0.975 normal quantile).</summary>
    public const double Z95 = 1.959963984540054;

    public static Interval Compute(long successes, long n, double z = Z95)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"A proportion needs n >= 1 trials, got {n}.");
        if (successes < 0 || successes > n)
            throw new ArgumentOutOfRangeException(nameof(successes), $"successes {successes} must lie in [0, {n}].");
        double p = (double)successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double halfWidth = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        // Exact endpoints at 0 and n successes; the formula gives them up to rounding.
        double low = successes == 0 ? 0 : Math.Max(0, centre - halfWidth);
        double high = successes == n ? 1 : Math.Min(1, centre + halfWidth);
        return new Interval(low, high);
    }
}
