using System.Globalization;
using System.Text;
using System.Text.Json;
using IclPrune.Demo;
using IclPrune.Evaluation;
using IclPrune.Output;
using IclPrune.Search;

namespace IclPrune.Reports;

/// <summary>
/// The demo's report folder: report.md (tables a reader can paste), results.json (every number), and the PNG plots
/// (accuracy vs shots, condition numbers, one sweep heatmap per module), and report.html (docs/report.md). Files are written atomically.
/// </summary>
public static class DemoReport
{
    public const string Markdown = "report.md";
    public const string Json = "results.json";
    public const string ShotsPlot = "accuracy_vs_shots.png";
    public const string SpectraPlot = "condition_numbers.png";

    public static IReadOnlyList<string> Write(DemoResult result, string folder)
    {
        AtomicFile.CreateFolder(folder);
        ShotsCurvePlot.Save(result.ShotsCurve, Path.Combine(folder, ShotsPlot));
        SpectraReport.SavePlot(result.Spectra, Path.Combine(folder, SpectraPlot));
        var sweepFiles = SweepReport.Write(result.Sweep, Path.Combine(folder, "sweep"));
        if (result.Dynamics is { } dynamics)
        {
            // Unpruned against the best sweep cell (the one Algorithm 1's attention search usually picks).
            var best = result.SweepTests.OrderByDescending(t => t.Paired.Difference).First();
            var bestCell = dynamics.Cells.First(c => c.Layer == best.Layer && c.Target == best.Target && c.Rate == best.Rate);
            IclDynamicsPlot.Save(dynamics.Unpruned, bestCell.Pruned, $"{best.Target}@{best.Layer}:{best.Rate.ToString(CultureInfo.InvariantCulture)}",
                Path.Combine(folder, DemoFindings.DynamicsPlot));
        }
        AtomicFile.WriteAllText(Path.Combine(folder, Json), JsonSerializer.Serialize(result, SearchJson.Indented) + "\n");
        AtomicFile.WriteAllText(Path.Combine(folder, Markdown), RenderMarkdown(result, sweepFiles));
        Html.HtmlReport.Write([folder], Path.Combine(folder, Html.HtmlReport.FileName));
        return [Markdown, Html.HtmlReport.FileName, Json, ShotsPlot, SpectraPlot, .. result.Dynamics is null ? Array.Empty<string>() : [DemoFindings.DynamicsPlot],
            .. sweepFiles.Select(f => Path.Combine("sweep", Path.GetFileName(f)))];
    }

    public static string RenderMarkdown(DemoResult r, IReadOnlyList<string> sweepFiles)
    {
        string F(double x) => x.ToString("F3", CultureInfo.InvariantCulture);
        var md = new StringBuilder();
        md.AppendLine($"# icl-prune demo: {r.Model.Id}");
        md.AppendLine();
        md.AppendLine($"Model fingerprint `{r.Model.Fingerprint}`, {r.Device}, {r.DType}; demonstration seeds {string.Join(", ", r.Seeds)}; " +
                      $"{r.Seconds.ToString("F0", CultureInfo.InvariantCulture)} s.");
        md.AppendLine();
        md.AppendLine("## In-context learning: accuracy vs shots (test split, mean ± std over seeds)");
        md.AppendLine();
        var allShots = r.ShotsCurve.Select(p => p.Shots).Distinct().Order().ToList();
        md.AppendLine("| task | chance | " + string.Join(" | ", allShots.Select(s => $"{s}-shot")) + " |");
        md.AppendLine("|---|---|" + string.Concat(allShots.Select(_ => "---|")));
        foreach (var task in r.ShotsCurve.GroupBy(p => p.Task))
        {
            var cells = allShots.Select(s => task.FirstOrDefault(p => p.Shots == s) is { } p ? $"{F(p.Accuracy)} ± {F(p.AccuracyStd)}" : "");
            md.AppendLine($"| {task.Key} | {F(task.First().Chance)} | {string.Join(" | ", cells)} |");
        }
        md.AppendLine();
        md.AppendLine($"![accuracy vs shots]({ShotsPlot})");
        md.AppendLine();
        md.AppendLine("## Condition numbers per layer (sigma_max / sigma_min)");
        md.AppendLine();
        md.AppendLine("| layer | matrix | shape | condition number | effective rank |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var m in r.Spectra.Matrices)
            md.AppendLine($"| {m.Layer} | {m.Target} | {m.Rows}x{m.Columns} | {m.ConditionNumber.ToString("G4", CultureInfo.InvariantCulture)} | {m.EffectiveRank.ToString("F1", CultureInfo.InvariantCulture)} |");
        md.AppendLine();
        md.AppendLine($"![condition numbers]({SpectraPlot})");
        md.AppendLine();
        md.AppendLine($"## Layer x rate sweep on {r.SweepTask} (test split; unpruned {F(r.Sweep.Baseline.Accuracy)})");
        md.AppendLine();
        md.Append(SweepReport.Markdown(r.Sweep));
        md.AppendLine();
        foreach (var png in sweepFiles.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
            md.AppendLine($"![{Path.GetFileNameWithoutExtension(png)}](sweep/{Path.GetFileName(png)})");
        md.AppendLine();
        md.Append(DemoFindings.Markdown(r));
        md.AppendLine($"## Algorithm 1 on {r.SweepTask}");
        md.AppendLine();
        md.AppendLine("| module | top layers by cond. | chosen layer | xi* | test unpruned | test pruned | delta (95% CI) | paired p | McNemar p per seed |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var s in r.Searches)
            md.AppendLine($"| {s.Module} | {string.Join(", ", s.TopLayers)} | {s.ChosenLayer} | {s.BestRate.ToString(CultureInfo.InvariantCulture)} | " +
                          $"{F(s.Test.BaselineAccuracy)} | {F(s.Test.PrunedAccuracy)} | " +
                          $"{F(s.Test.Paired.Difference)} [{F(s.Test.Paired.Ci95.Low)}, {F(s.Test.Paired.Ci95.High)}] | " +
                          $"{s.Test.Paired.PTwoSided.ToString("G3", CultureInfo.InvariantCulture)} | " +
                          $"{string.Join(", ", s.Test.PerSeed.Select(p => p.McNemarP.ToString("G3", CultureInfo.InvariantCulture)))} |");
        md.AppendLine();
        md.AppendLine("Validation accuracy is what Algorithm 1 maximises; test accuracy is reported once, for the unpruned model and " +
                      "the chosen rate. The paired p is the two-sided item-clustered sign-flip test over all seeds (docs/assertions.md), the " +
                      "one the snapshot gate uses; the per-seed McNemar p values are that test on one seed each.");
        return md.ToString();
    }
}
