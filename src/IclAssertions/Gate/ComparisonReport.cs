using System.Globalization;
using System.Text;
using IclPrune.Evaluation.Statistics;

namespace IclAssertions.Gate;

/// <summary>
/// A paired comparison of two evaluations over the same seeds and items: one row per seed and the pooled row the
/// gate decides on. Pooling treats (seed, item) pairs as independent; the same item under different demonstration
/// sets is correlated, so with several seeds the pooled p-value is somewhat optimistic (docs/assertions.md).
/// ToString() is the table failure messages show.
/// </summary>
public sealed record ComparisonReport(string BaselineLabel, string CandidateLabel, IReadOnlyList<SeedComparison> Seeds,
    PairedComparison Pooled)
{
    public double BaselineAccuracy => Pooled.Counts.BaselineAccuracy;
    public double CandidateAccuracy => Pooled.Counts.CandidateAccuracy;
    public double Difference => Pooled.Difference;
    public double PValue => Pooled.PValue;
    public bool AnyItemChanged => Pooled.Counts.Discordant > 0;

    /// <summary>Pairs seeds by seed value and items by index; throws when the two sides cannot be paired.</summary>
    public static ComparisonReport Compare(IReadOnlyList<SeedItems> baseline, IReadOnlyList<SeedItems> candidate,
        string baselineLabel = "baseline", string candidateLabel = "candidate")
    {
        var baseSeeds = baseline.Select(s => s.Seed).Order().ToArray();
        var candSeeds = candidate.Select(s => s.Seed).Order().ToArray();
        if (!baseSeeds.SequenceEqual(candSeeds))
            throw new ArgumentException(
                $"Cannot pair: {baselineLabel} has seeds [{string.Join(", ", baseSeeds)}], {candidateLabel} has [{string.Join(", ", candSeeds)}].");
        var rows = new List<SeedComparison>();
        var pooled = new PairedCounts();
        foreach (var cand in candidate.OrderBy(s => s.Seed))
        {
            var bas = baseline.First(s => s.Seed == cand.Seed);
            if (bas.Correct.Count != cand.Correct.Count)
                throw new ArgumentException(
                    $"Cannot pair seed {cand.Seed}: {baselineLabel} scored {bas.Correct.Count} items, {candidateLabel} {cand.Correct.Count}.");
            var counts = PairedCounts.From(bas.Correct, cand.Correct);
            pooled += counts;
            rows.Add(new SeedComparison(cand.Seed, bas.Accuracy, cand.Accuracy, PairedComparison.Of(counts)));
        }
        if (pooled.N == 0) throw new ArgumentException("Cannot compare: neither side scored any item.");
        return new ComparisonReport(baselineLabel, candidateLabel, rows, PairedComparison.Of(pooled));
    }

    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(string.Create(c, $"{"seed",6} {"n",6} {BaselineLabel,10} {CandidateLabel,10} {"delta",8} {"b",5} {"c",5} {"p",8}"));
        foreach (var row in Seeds)
        {
            var t = row.Paired.Counts;
            text.AppendLine(string.Create(c,
                $"{row.Seed,6} {row.N,6} {row.BaselineAccuracy,10:F4} {row.CandidateAccuracy,10:F4} {row.Paired.Difference,8:+0.0000;-0.0000;0.0000} {t.BaselineOnly,5} {t.CandidateOnly,5} {FormatP(row.Paired.PValue),8}"));
        }
        var p = Pooled.Counts;
        text.AppendLine(string.Create(c,
            $"{"all",6} {p.N,6} {BaselineAccuracy,10:F4} {CandidateAccuracy,10:F4} {Difference,8:+0.0000;-0.0000;0.0000} {p.BaselineOnly,5} {p.CandidateOnly,5} {FormatP(PValue),8}"));
        text.Append(string.Create(c,
            $"delta {Difference:+0.0000;-0.0000;0.0000}, 95% CI [{Pooled.Ci95.Low:+0.0000;-0.0000;0.0000}, {Pooled.Ci95.High:+0.0000;-0.0000;0.0000}] (Newcombe paired), " +
            $"exact McNemar p = {FormatP(PValue)} (b = {p.BaselineOnly} items only {BaselineLabel} got right, c = {p.CandidateOnly} only {CandidateLabel})"));
        return text.ToString();
    }

    internal static string FormatP(double p) => p >= 0.001 ? p.ToString("F4", CultureInfo.InvariantCulture) : p.ToString("0.0E+0", CultureInfo.InvariantCulture);
}
