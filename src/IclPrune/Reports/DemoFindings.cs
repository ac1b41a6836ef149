using System.Globalization;
using System.Text;
using IclPrune.Demo;

namespace IclPrune.Reports;

/// <summary>
/// The demo's answer to "did pruning improve in-context learning here?" (issue 19): every sweep cell's paired test
/// against the unpruned model, Holm-corrected over the cells, the power the test had for a 5-point change, and
/// Algorithm 1's test result in one sentence. Negative results are stated as plainly as positive ones.
/// </summary>
public static class DemoFindings
{
    public const double Alpha = 0.05;

    static string F(double x) => x.ToString("F3", CultureInfo.InvariantCulture);
    static string P(double p) => p.ToString("G3", CultureInfo.InvariantCulture);

    public static string Markdown(DemoResult r)
    {
        var md = new StringBuilder();
        md.AppendLine($"## Paired tests per sweep cell on {r.SweepTask} (each cell vs unpruned, same items and seeds)");
        md.AppendLine();
        var holm = HolmAdjusted(r.SweepTests.Select(t => t.Paired.PTwoSided).ToList());
        md.AppendLine("| module | layer | xi | accuracy | delta (95% CI) | paired p | Holm p |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        for (int i = 0; i < r.SweepTests.Count; i++)
        {
            var t = r.SweepTests[i];
            md.AppendLine($"| {t.Target} | {t.Layer} | {t.Rate.ToString(CultureInfo.InvariantCulture)} | {F(t.Paired.CandidateAccuracy)} | " +
                          $"{F(t.Paired.Difference)} [{F(t.Paired.Ci95.Low)}, {F(t.Paired.Ci95.High)}] | {P(t.Paired.PTwoSided)} | {P(holm[i])} |");
        }
        md.AppendLine();
        foreach (var p in r.Power)
            md.AppendLine($"- Power: on this baseline ({p.Items} items x {p.Seeds} seeds, unpruned {F(r.Sweep.Baseline.Accuracy)}) the " +
                          $"two-sided item-clustered test at alpha {p.Alpha.ToString(CultureInfo.InvariantCulture)} detects a paired change of " +
                          $"+{p.Shift.ToString(CultureInfo.InvariantCulture)} with probability {F(p.Power)} " +
                          $"(simulated, {p.Draws} draws, churn {p.Churn.ToString(CultureInfo.InvariantCulture)}: PairedPower).");
        md.AppendLine($"- {Verdict(r, holm)}");
        foreach (var s in r.Searches)
            md.AppendLine($"- Algorithm 1 ({s.Module}, layer {s.ChosenLayer}, xi* {s.BestRate.ToString(CultureInfo.InvariantCulture)}): test " +
                          $"{F(s.Test.BaselineAccuracy)} -> {F(s.Test.PrunedAccuracy)}, delta {F(s.Test.Paired.Difference)}, paired p = {P(s.Test.Paired.PTwoSided)}.");
        md.AppendLine();
        if (r.Dynamics is { } dyn) md.Append(DynamicsMarkdown(r, dyn));
        return md.ToString();
    }

    public const string DynamicsPlot = "icl_dynamics.png";

    static string DynamicsMarkdown(DemoResult r, DemoDynamics dyn)
    {
        string G(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
        var md = new StringBuilder();
        md.AppendLine($"## Implicit-gradient norms on {r.SweepTask} (docs/icl-dynamics.md; linear-attention reading, mean over seeds)");
        md.AppendLine();
        md.AppendLine("| layer | ||dW_t|| unpruned | ||G_t|| unpruned |");
        md.AppendLine("|---|---|---|");
        foreach (var l in dyn.Unpruned.Layers) md.AppendLine($"| {l.Layer} | {G(l.DeltaWNorm)} | {G(l.AccumulatedNorm)} |");
        md.AppendLine();
        md.AppendLine("| module | layer | xi | accuracy change | change of sum_t ||dW_t|| | change of ||G_last|| |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var c in dyn.Cells)
            md.AppendLine($"| {c.Target} | {c.Layer} | {c.Rate.ToString(CultureInfo.InvariantCulture)} | {F(c.AccuracyDelta)} | {G(c.DeltaWSumChange)} | {G(c.LastGChange)} |");
        md.AppendLine();
        md.AppendLine($"Spearman rank correlation across the {dyn.Cells.Count} cells between the norm change and the accuracy change: " +
                      $"sum_t ||dW_t|| {F(dyn.SpearmanDeltaW)}, ||G_last|| {F(dyn.SpearmanLastG)} (negative: smaller implicit updates go with better ICL).");
        md.AppendLine();
        md.AppendLine($"![implicit gradient norms]({DynamicsPlot})");
        md.AppendLine();
        return md.ToString();
    }

    /// <summary>One sentence: which cells improved or hurt significantly after Holm's correction over all cells.</summary>
    public static string Verdict(DemoResult r, IReadOnlyList<double>? holm = null)
    {
        holm ??= HolmAdjusted(r.SweepTests.Select(t => t.Paired.PTwoSided).ToList());
        var better = r.SweepTests.Where((t, i) => holm[i] <= Alpha && t.Paired.Difference > 0).ToList();
        var worse = r.SweepTests.Where((t, i) => holm[i] <= Alpha && t.Paired.Difference < 0).ToList();
        var best = r.SweepTests.OrderByDescending(t => t.Paired.Difference).FirstOrDefault();
        string bestText = best is null ? "" :
            $" The largest gain is {best.Target} layer {best.Layer} at xi {best.Rate.ToString(CultureInfo.InvariantCulture)}: " +
            $"{F(best.Paired.BaselineAccuracy)} -> {F(best.Paired.CandidateAccuracy)} (paired p = {P(best.Paired.PTwoSided)}).";
        string verdict = better.Count > 0
            ? $"Pruning improved ICL: {better.Count} of {r.SweepTests.Count} cells are significantly better than unpruned after Holm's correction " +
              $"({string.Join(", ", better.Select(Name))})."
            : $"Pruning did not improve ICL here: no cell of {r.SweepTests.Count} is significantly better than unpruned after Holm's correction.";
        return verdict + $" {worse.Count} cells are significantly worse." + bestText;
    }

    static string Name(SweepCellTest t) => $"{t.Target} {t.Layer} @ {t.Rate.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Holm's step-down adjusted p-values, in the input order (Evaluation.Comparison.HolmCorrection).</summary>
    public static IReadOnlyList<double> HolmAdjusted(IReadOnlyList<double> p) => Evaluation.Comparison.HolmCorrection.Adjusted(p);
}
