namespace IclPrune.Evaluation.Statistics;

/// <summary>
/// The exact (binomial) McNemar test of a paired change on the same items: of the n = b + c discordant items
/// (b: right before, wrong after; c: wrong before, right after), under "no change" each is equally likely to go
/// either way, so p = min(1, 2 * P[Binomial(n, 1/2) &lt;= min(b, c)]). Exact rather than chi-square because the
/// changes that matter here are a handful of items (PAPER.md section 4: CB gains 5 of 56, p = 0.0625 at best).
/// </summary>
public static class ExactMcNemar
{
    /// <summary>Two-sided p-value for discordant counts <paramref name="b"/> and <paramref name="c"/>; 1 when there are none.</summary>
    public static double PValue(int b, int c)
    {
        if (b < 0 || c < 0) throw new ArgumentOutOfRangeException(nameof(b), $"discordant counts must be non-negative, got b={b}, c={c}.");
        int n = b + c;
        if (n == 0) return 1.0;
        int k = Math.Min(b, c);
        // Sum C(n, i) / 2^n for i <= k in log space (n can be thousands), with a log-sum-exp over the terms.
        double ln2n = n * Math.Log(2);
        var logTerms = new double[k + 1];
        double logChoose = 0;
        for (int i = 0; i <= k; i++)
        {
            if (i > 0) logChoose += Math.Log(n - i + 1) - Math.Log(i);
            logTerms[i] = logChoose - ln2n;
        }
        double max = logTerms.Max();
        double tail = Math.Exp(max) * logTerms.Sum(t => Math.Exp(t - max));
        return Math.Min(1.0, 2 * tail);
    }

    /// <summary>Discordant counts of paired per-item outcomes (same items, same order).</summary>
    public static (int B, int C) Discordant(IReadOnlyList<bool> before, IReadOnlyList<bool> after)
    {
        if (before.Count != after.Count)
            throw new ArgumentException($"paired outcomes need the same items: {before.Count} before vs {after.Count} after.");
        int b = 0, c = 0;
        for (int i = 0; i < before.Count; i++)
        {
            if (before[i] && !after[i]) b++;
            else if (!before[i] && after[i]) c++;
        }
        return (b, c);
    }
}
