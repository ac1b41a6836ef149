namespace IclPrune.Evaluation.Statistics;

/// <summary>Mean and sample standard deviation (n - 1 denominator; 0 for a single seed) of per-seed accuracies.</summary>
public static class SeedAggregate
{
    public static SeedResult Seed(int seed, IReadOnlyList<bool> itemCorrect)
    {
        int correct = itemCorrect.Count(c => c);
        int n = itemCorrect.Count;
        return new SeedResult(seed, n, correct, n == 0 ? 0 : (double)correct / n, WilsonInterval.Compute(correct, n), itemCorrect);
    }

    public static (double Mean, double Std) MeanAndStd(IReadOnlyList<double> values)
    {
        var (mean, variance) = MeanAndVariance(values);
        return (mean, Math.Sqrt(variance));
    }

    /// <summary>Mean and sample variance (n - 1 denominator; 0 for a single value).</summary>
    public static (double Mean, double Variance) MeanAndVariance(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values to aggregate", nameof(values));
        double mean = values.Average();
        if (values.Count == 1) return (mean, 0);
        return (mean, values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
