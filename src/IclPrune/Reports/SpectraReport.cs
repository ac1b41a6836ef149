using System.Globalization;
using System.Text.Json;
using IclPrune.Output;
using IclPrune.Pruning;
using IclPrune.Search;
using ScottPlot;

namespace IclPrune.Reports;

/// <summary>
/// Writes `inspect --spectra` results: spectra.json (every matrix) and spectra.png, the condition number per layer
/// with one line per matrix role and the attn / mlp maxima (the number Algorithm 1 ranks by default), log10 scale.
/// </summary>
public static class SpectraReport
{
    public static string Json(ModelSpectra spectra) => JsonSerializer.Serialize(spectra, SearchJson.Indented);

    public static void SavePlot(ModelSpectra spectra, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int colour = 0;
        foreach (var target in spectra.Matrices.Select(m => m.Target).Distinct())
        {
            var points = spectra.Matrices.Where(m => m.Target == target).OrderBy(m => m.Layer).ToList();
            var line = plot.Add.Scatter(points.Select(p => (double)p.Layer).ToArray(), points.Select(p => Log10(p.ConditionNumber)).ToArray());
            line.LegendText = target;
            line.Color = palette.GetColor(colour++);
            line.LineWidth = 1;
            line.MarkerSize = 4;
        }
        foreach (string module in ModuleConditions.Modules)
        {
            var members = PruneTargetNames.GroupMembers(module).Select(PruneTargetNames.Name).ToHashSet();
            var byLayer = spectra.Matrices.Where(m => members.Contains(m.Target)).GroupBy(m => m.Layer).OrderBy(g => g.Key).ToList();
            if (byLayer.Count == 0) continue;
            var line = plot.Add.Scatter(byLayer.Select(g => (double)g.Key).ToArray(), byLayer.Select(g => Log10(g.Max(m => m.ConditionNumber))).ToArray());
            line.LegendText = $"{module} (max)";
            line.Color = module == "attn" ? Colors.Black : Colors.Gray;
            line.LineWidth = 3;
            line.MarkerSize = 0;
            line.LinePattern = LinePattern.Dashed;
        }
        plot.Title($"{spectra.Family}: condition number per layer");
        plot.XLabel("layer");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.YLabel("log10(sigma_max / sigma_min)");
        plot.ShowLegend(Edge.Right);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(900, 500, ImageFormat.Png));
    }

    /// <summary>Infinite (singular matrix) plots at the top of the finite range rather than breaking the axis.</summary>
    static double Log10(double condition) => double.IsPositiveInfinity(condition) ? 20 : Math.Log10(condition);

    public static string Table(ModelSpectra spectra)
    {
        var sb = new System.Text.StringBuilder("layer  target   shape          sigma_max    sigma_min    cond         eff.rank\n");
        foreach (var m in spectra.Matrices)
            sb.Append(CultureInfo.InvariantCulture,
                $"{m.Layer,5}  {m.Target,-7}  {m.Rows + "x" + m.Columns,-13}  {m.SigmaMax,-11:G4}  {m.SigmaMin,-11:G4}  {m.ConditionNumber,-11:G4}  {m.EffectiveRank:F1}\n");
        return sb.ToString();
    }
}
