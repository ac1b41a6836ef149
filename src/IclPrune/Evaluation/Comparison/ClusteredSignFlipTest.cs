namespace IclPrune.Evaluation.Comparison;

/// <summary>
/// The exact item-clustered paired test. Per item i, d_i = (candidate's correct seeds / its seed count) - (the same
/// for the baseline). Under the null hypothesis that the two sides are exchangeable within each item, every d_i is
/// as likely to be +|d_i| as -|d_i|, independently across items; the p-value of the observed sum is its rank among
/// the 2^m sums of all sign flips (m = items with d_i != 0). Items are the independent unit, so the several seeds of
/// one item are never counted as independent evidence (pooling (seed, item) pairs, as a pooled McNemar does, is
/// what made the old gate fire on noise).
///
/// Exact by dynamic programming over the integer-scaled sums: d_i * lcm(seeds) is an integer, and the distribution of
/// the sum is built one item at a time (m x S steps, S = sum |scaled d_i|). Above <see cref="ExactWorkLimit"/> steps it
/// (or above <see cref="MaxExactSum"/>, 80 MB of distribution) falls back to a seeded Monte Carlo estimate over <see cref="MonteCarloDraws"/> sign flips, p = (1 + hits)/(1 + draws)
/// (valid, never zero). With one seed on each side d_i is -1, 0 or +1 and the test is McNemar's exact test.
/// </summary>
public static class ClusteredSignFlipTest
{
    public const long ExactWorkLimit = 200_000_000;
    public const int MonteCarloDraws = 200_000;
    public const long MaxExactSum = 5_000_000;

    /// <param name="PDrop">One-sided p of a drop: P(sum of flipped d &lt;= observed sum).</param>
    /// <param name="PImprovement">One-sided p of an improvement: P(sum of flipped d &gt;= observed sum).</param>
    /// <param name="Exact">False when the Monte Carlo fallback was used.</param>
    public sealed record Result(double PDrop, double PImprovement, bool Exact)
    {
        /// <summary>Two-sided p: twice the smaller tail, at most 1 (McNemar's convention).</summary>
        public double TwoSided => Math.Min(1.0, 2.0 * Math.Min(PDrop, PImprovement));
    }

    public static Result Run(ItemScores baseline, ItemScores candidate)
    {
        if (baseline.Items != candidate.Items) throw new ArgumentException("both sides must hold the same items in the same order");
        long scale = Lcm(baseline.Seeds, candidate.Seeds);
        long perCandidate = scale / candidate.Seeds, perBaseline = scale / baseline.Seeds;
        var scaled = new List<long>();
        for (int i = 0; i < baseline.Items; i++)
        {
            long d = candidate.Correct[i] * perCandidate - baseline.Correct[i] * perBaseline;
            if (d != 0) scaled.Add(d);
        }
        return Run(scaled);
    }

    /// <summary>The test on integer differences (zeros allowed; they carry no sign information).</summary>
    public static Result Run(IReadOnlyList<long> scaledDifferences)
    {
        var d = scaledDifferences.Where(x => x != 0).ToArray();
        if (d.Length == 0) return new Result(1.0, 1.0, true);
        long observed = d.Sum();
        long total = d.Sum(Math.Abs);
        // Both bounds: the work (items x sums) and the memory of the distribution (2 arrays of 2S + 1 doubles).
        bool exact = (double)d.Length * (2 * total + 1) <= ExactWorkLimit && total <= MaxExactSum;
        return exact ? Exact(d, observed, total) : MonteCarlo(d, observed);
    }

    static Result Exact(long[] d, long observed, long total)
    {
        // probability[s + total] = P(sum of flipped values = s); each item moves the mass by +|d| or -|d| with 1/2.
        var probability = new double[2 * total + 1];
        var next = new double[probability.Length];
        probability[total] = 1.0;
        long reach = 0;
        foreach (long value in d)
        {
            long a = Math.Abs(value);
            Array.Clear(next, (int)(total - reach - a), (int)(2 * (reach + a) + 1));
            for (long s = -reach; s <= reach; s++)
            {
                double mass = probability[s + total];
                if (mass == 0) continue;
                next[s + a + total] += 0.5 * mass;
                next[s - a + total] += 0.5 * mass;
            }
            reach += a;
            (probability, next) = (next, probability);
        }
        double low = 0, high = 0;
        for (long s = -total; s <= total; s++)
        {
            if (s <= observed) low += probability[s + total];
            if (s >= observed) high += probability[s + total];
        }
        return new Result(Math.Min(1.0, low), Math.Min(1.0, high), true);
    }

    static Result MonteCarlo(long[] d, long observed)
    {
        var random = new Random(20261130); // fixed: the same inputs always give the same p
        long low = 0, high = 0;
        for (int draw = 0; draw < MonteCarloDraws; draw++)
        {
            long sum = 0;
            foreach (long value in d) sum += random.Next(2) == 0 ? value : -value;
            if (sum <= observed) low++;
            if (sum >= observed) high++;
        }
        return new Result((1.0 + low) / (1.0 + MonteCarloDraws), (1.0 + high) / (1.0 + MonteCarloDraws), false);
    }

    static long Lcm(long a, long b)
    {
        if (a < 1 || b < 1) throw new ArgumentOutOfRangeException(nameof(a), $"seed counts must be >= 1, got {a} and {b}");
        long x = a, y = b;
        while (y != 0) (x, y) = (y, x % y);
        return a / x * b;
    }
}
