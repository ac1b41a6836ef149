using IclPrune.Demo;
using IclPrune.Output;
using ScottPlot;

namespace IclPrune.Reports;

/// <summary>Accuracy against the number of demonstrations, one line per task, chance levels dashed.</summary>
public static class ShotsCurvePlot
{
    public static void Save(IReadOnlyList<ShotsPoint> points, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int colour = 0;
        foreach (var task in points.GroupBy(p => p.Task))
        {
            var ordered = task.OrderBy(p => p.Shots).ToList();
            var color = palette.GetColor(colour++);
            var line = plot.Add.Scatter(ordered.Select(p => (double)p.Shots).ToArray(), ordered.Select(p => p.Accuracy).ToArray());
            line.LegendText = task.Key;
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 6;
            var chance = plot.Add.HorizontalLine(ordered[0].Chance);
            chance.Color = color.WithAlpha(0.5);
            chance.LinePattern = LinePattern.Dashed;
            chance.LineWidth = 1;
        }
        plot.Title("in-context learning: accuracy vs demonstrations (dashed: chance)");
        plot.XLabel("demonstrations in the prompt (shots)");
        plot.YLabel("test accuracy (mean over seeds)");
        plot.Axes.SetLimitsY(0, 1.05);
        plot.ShowLegend(Edge.Right);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(900, 500, ImageFormat.Png));
    }
}
