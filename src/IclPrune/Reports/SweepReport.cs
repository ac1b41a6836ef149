using System.Globalization;
using System.Text;
using System.Text.Json;
using IclPrune.Output;
using IclPrune.Search;

namespace IclPrune.Reports;

/// <summary>Writes a finished sweep: results.json, results.csv, results.md and one heatmap PNG per target.</summary>
public static class SweepReport
{
    public static IReadOnlyList<string> Write(SweepSummary summary, string folder)
    {
        var written = new List<string>();
        string json = Path.Combine(folder, "results.json");
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(summary, SearchJson.Indented) + "\n");
        written.Add(json);
        string csv = Path.Combine(folder, "results.csv");
        AtomicFile.WriteAllText(csv, Csv(summary));
        written.Add(csv);
        string md = Path.Combine(folder, "results.md");
        AtomicFile.WriteAllText(md, Markdown(summary));
        written.Add(md);
        foreach (string target in summary.Grid.Targets)
        {
            string png = Path.Combine(folder, $"heatmap-{FileSafe(target)}.png");
            SweepHeatmap.Save(summary, target, png);
            written.Add(png);
        }
        return written;
    }

    static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    public static string Csv(SweepSummary summary)
    {
        var sb = new StringBuilder("layer,target,rate,accuracy,accuracy_std,delta,n,mcnemar_p\n");
        sb.Append(CultureInfo.InvariantCulture, $"-1,none,0,{F(summary.Baseline.Accuracy)},{F(summary.Baseline.AccuracyStd)},0,{summary.Baseline.PerSeed.Sum(s => s.N)},1\n");
        foreach (var c in summary.Cells)
        {
            // Targets may hold commas ("q,v"): quote them. One p-value per seed, ';'-separated.
            string p = string.Join(";", c.PerSeed.Select(s => F(s.McNemarP)));
            sb.Append(CultureInfo.InvariantCulture,
                $"{c.Layer},\"{c.Target}\",{c.Rate},{F(c.Accuracy)},{F(c.AccuracyStd)},{F(c.Delta)},{c.PerSeed.Sum(s => s.N)},{p}\n");
        }
        return sb.ToString();
    }

    public static string Markdown(SweepSummary summary)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Sweep ({summary.Split} split)\n\nUnpruned accuracy: {summary.Baseline.Accuracy:F4}. ");
        sb.Append("Cells better than unpruned are **bold**; * marks an exact McNemar p < 0.05 on every seed.\n");
        foreach (string target in summary.Grid.Targets)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n## {target}\n\n| layer | ");
            sb.Append(string.Join(" | ", summary.Grid.Rates.Select(r => r.ToString(CultureInfo.InvariantCulture))));
            sb.Append(" |\n|---|").Append(string.Concat(summary.Grid.Rates.Select(_ => "---|"))).Append('\n');
            foreach (int layer in summary.Grid.Layers)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {layer} |");
                foreach (decimal rate in summary.Grid.Rates)
                {
                    var cell = summary.Cells.First(c => c.Layer == layer && c.Target == target && c.Rate == rate);
                    string text = cell.Accuracy.ToString("F4", CultureInfo.InvariantCulture);
                    if (cell.PerSeed.Count > 0 && cell.PerSeed.All(s => s.McNemarP < 0.05)) text += "*";
                    sb.Append(cell.Accuracy > summary.Baseline.Accuracy ? $" **{text}** |" : $" {text} |");
                }
                sb.Append('\n');
            }
        }
        if (summary.Dynamics is { } norms)
            sb.Append(CultureInfo.InvariantCulture,
                $"\n## Implicit-update norms (--icl-dynamics)\n\nPer cell in results.json (`dynamics`). Spearman's rho across {norms.Cells.Count} cells " +
                $"of the accuracy change with the change in sum_t ||dW_t||: {SweepDynamicsSummary.RhoText(norms.SpearmanDeltaW)}; with the change in the last layer's ||G||: {SweepDynamicsSummary.RhoText(norms.SpearmanLastG)}.\n");
        return sb.ToString();
    }

    static string FileSafe(string target) => target.Replace(',', '+');
}
