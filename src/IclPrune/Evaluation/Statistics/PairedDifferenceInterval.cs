namespace IclPrune.Evaluation.Statistics;

/// <summary>
/// 95% interval for the paired accuracy difference (candidate - baseline) = (c - b) / n: Newcombe's hybrid score
/// interval for paired proportions, "method 10" of Newcombe (1998), Statistics in Medicine 17:2635-2650.
/// It combines the two Wilson intervals with the phi correlation of the 2x2 table. Chosen over the paired Wald
/// interval, whose coverage collapses when discordant counts are small or zero (Wald gives a zero-width interval
/// when b = c = 0), and recommended by Fagerland, Lydersen and Laake (2013) for paired proportions.
/// phi is taken as 0 when a margin of the table is empty (its formula is 0/0 there), as Newcombe does.
/// </summary>
public static class PairedDifferenceInterval
{
    public static Interval Compute(PairedCounts t, double z = WilsonInterval.Z95)
    {
        long n = t.N;
        if (n == 0) throw new ArgumentException("A paired interval needs at least one item; the table is empty.", nameof(t));
        // Newcombe's theta = p1 - p2 with p1 the candidate, p2 the baseline, so theta is our difference.
        long x1 = t.Both + t.CandidateOnly, x2 = t.Both + t.BaselineOnly;
        double p1 = (double)x1 / n, p2 = (double)x2 / n;
        var w1 = WilsonInterval.Compute(x1, n, z);
        var w2 = WilsonInterval.Compute(x2, n, z);
        double phi = Phi(t);

        double dl1 = p1 - w1.Low, du1 = w1.High - p1, dl2 = p2 - w2.Low, du2 = w2.High - p2;
        double delta = Math.Sqrt(Math.Max(0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2));
        double epsilon = Math.Sqrt(Math.Max(0, du1 * du1 - 2 * phi * du1 * dl2 + dl2 * dl2));
        double theta = p1 - p2;
        return new Interval(Math.Max(-1, theta - delta), Math.Min(1, theta + epsilon));
    }

    /// <summary>phi = (ad - bc) / sqrt((a+b)(c+d)(a+c)(b+d)) over the table [a b; c d] with a = both right.</summary>
    static double Phi(PairedCounts t)
    {
        double a = t.Both, b = t.CandidateOnly, c = t.BaselineOnly, d = t.Neither;
        double denominator = (a + b) * (c + d) * (a + c) * (b + d);
        return denominator == 0 ? 0 : (a * d - b * c) / Math.Sqrt(denominator);
    }
}
