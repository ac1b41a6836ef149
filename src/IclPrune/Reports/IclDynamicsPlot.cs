using IclPrune.Dynamics;
using ScottPlot;

namespace IclPrune.Reports;

/// <summary>log10 of ||dW_t||_F and ||G_t||_F against the layer, unpruned (solid) and pruned (dashed) when given.</summary>
public static class IclDynamicsPlot
{
    public static void Save(IclDynamicsResult unpruned, IclDynamicsResult? pruned, string? prunedLabel, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        void Lines(IclDynamicsResult r, string label, LinePattern pattern)
        {
            double[] layers = [.. r.Layers.Select(l => (double)l.Layer)];
            foreach (var (name, values, colour) in new[]
                     {
                         ("||dW_t||", r.Layers.Select(l => l.DeltaWNorm), 0),
                         ("||G_t||", r.Layers.Select(l => l.AccumulatedNorm), 1),
                     })
            {
                var line = plot.Add.Scatter(layers, [.. values.Select(v => Math.Log10(Math.Max(v, 1e-300)))]);
                line.LegendText = $"{name} {label}";
                line.Color = palette.GetColor(colour);
                line.LinePattern = pattern;
                line.LineWidth = 2;
                line.MarkerSize = 7;
            }
        }
        Lines(unpruned, "unpruned", LinePattern.Solid);
        if (pruned is not null) Lines(pruned, prunedLabel ?? "pruned", LinePattern.Dashed);
        plot.Title($"implicit ICL updates on {unpruned.Task} ({unpruned.Seeds.Count} seeds)");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1); // layers are integers
        plot.XLabel("layer t");
        plot.YLabel("log10 Frobenius norm");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 900, 500);
    }
}
