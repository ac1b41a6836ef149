using System.Globalization;
using System.Text;
using IclPrune.Evaluation.Comparison;

namespace IclAssertions.Gate;

/// <summary>How a comparison reads in a failure message, `snapshots review` and the CI summary.</summary>
public static class ComparisonText
{
    const int MaxItemsListed = 10;
    static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Paired(AccuracyComparison c, double alpha, string baseline = "approved", string candidate = "received")
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(C,
            $"{baseline} {c.BaselineAccuracy:F4} ({c.BaselineSeeds} seed(s)), {candidate} {c.CandidateAccuracy:F4} ({c.CandidateSeeds} seed(s)), " +
            $"{c.Items} items paired by key"));
        text.AppendLine(c.Method switch
        {
            ComparisonMethod.ItemSignFlip => string.Create(C,
                $"delta {Signed(c.Difference)}, 95% CI [{Signed(c.Ci95.Low)}, {Signed(c.Ci95.High)}] (item-clustered t), " +
                $"one-sided p(drop) = {P(c.PDrop)}, p(improvement) = {P(c.PImprovement)} " +
                $"({(c.ExactP ? "exact" : "Monte Carlo")} item-clustered sign-flip test, same seeds; a drop fails at p < {alpha})"),
            ComparisonMethod.SeedWelch => string.Create(C,
                $"delta {Signed(c.Difference)}, 95% CI [{Signed(c.Ci95.Low)}, {Signed(c.Ci95.High)}], " +
                $"one-sided p(drop) = {P(c.PDrop)}, p(improvement) = {P(c.PImprovement)} " +
                $"(Welch t over per-seed accuracies: the seeds differ, so the seed is the unit; a drop fails at p < {alpha})"),
            _ => string.Create(C, $"delta {Signed(c.Difference)}, no test: the seeds differ and a side has a single seed"),
        });
        text.Append(Flipped(c.Flipped, baseline, candidate));
        return text.ToString().TrimEnd();
    }

    public static string Unpaired(IndependentComparison u) => string.Create(C,
        $"Unpaired comparison (the items or prompts differ, so nothing is paired): approved {u.BaselineAccuracy:F4} on {u.BaselineItems} items, " +
        $"received {u.CandidateAccuracy:F4} on {u.CandidateItems} items, delta {Signed(u.Difference)}, " +
        $"95% CI [{Signed(u.Ci95.Low)}, {Signed(u.Ci95.High)}], one-sided p(drop) = {P(u.PDrop)} (Welch z over items).");

    static string Flipped(IReadOnlyList<FlippedItem> flipped, string baseline, string candidate)
    {
        if (flipped.Count == 0) return "no item changed";
        var worse = flipped.Where(f => f.Candidate < f.Baseline).OrderBy(f => f.Candidate - f.Baseline).ToArray();
        var better = flipped.Where(f => f.Candidate > f.Baseline).OrderByDescending(f => f.Candidate - f.Baseline).ToArray();
        var text = new StringBuilder();
        text.AppendLine($"{worse.Length} item(s) worse, {better.Length} better (share of seeds right, {baseline} -> {candidate}):");
        foreach (var f in worse.Take(MaxItemsListed).Concat(better.Take(MaxItemsListed / 2)))
            text.AppendLine(string.Create(C, $"  {f.Key}  {f.Baseline:0.##} -> {f.Candidate:0.##}  {f.Preview}"));
        int hidden = flipped.Count - Math.Min(worse.Length, MaxItemsListed) - Math.Min(better.Length, MaxItemsListed / 2);
        if (hidden > 0) text.AppendLine($"  ... and {hidden} more");
        return text.ToString();
    }

    public static string Signed(double value) => value.ToString("+0.0000;-0.0000;0.0000", C);

    public static string P(double p) => p >= 0.001 ? p.ToString("F4", C) : p == 0 ? "< 1e-300" : p.ToString("0.0E+0", C);
}
