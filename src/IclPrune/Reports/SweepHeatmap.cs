using System.Globalization;
using IclPrune.Search;
using ScottPlot;

namespace IclPrune.Reports;

/// <summary>
/// Layer x rate heatmap of one target's accuracies. The colour scale is centred on the unpruned accuracy (white =
/// unchanged, blue better, red worse) so the baseline is marked on every cell; the title states it, and each cell
/// prints its accuracy.
/// </summary>
public static class SweepHeatmap
{
    public static void Save(SweepSummary summary, string target, string path)
    {
        var layers = summary.Grid.Layers;
        var rates = summary.Grid.Rates;
        double baseline = summary.Baseline.Accuracy;
        var values = new double[layers.Count, rates.Count];   // [row = layer (top: first), column = rate]
        double spread = 1e-6;
        for (int i = 0; i < layers.Count; i++)
            for (int j = 0; j < rates.Count; j++)
            {
                var cell = summary.Cells.First(c => c.Layer == layers[i] && c.Target == target && c.Rate == rates[j]);
                values[i, j] = cell.Accuracy;
                spread = Math.Max(spread, Math.Abs(cell.Accuracy - baseline));
            }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.CustomInterpolated([Colors.FireBrick, Colors.White, Colors.SteelBlue]);
        heatmap.ManualRange = new ScottPlot.Range(baseline - spread, baseline + spread);
        // Cell (i, j) centred at x = j, y = rows - 1 - i: the first layer on top, rates left to right.
        heatmap.Rectangle = new CoordinateRect(-0.5, rates.Count - 0.5, -0.5, layers.Count - 0.5);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = "accuracy (white = unpruned)";

        for (int i = 0; i < layers.Count; i++)
            for (int j = 0; j < rates.Count; j++)
            {
                var label = plot.Add.Text(values[i, j].ToString("F3", CultureInfo.InvariantCulture), j, layers.Count - 1 - i);
                label.LabelFontSize = 10;
                label.LabelAlignment = Alignment.MiddleCenter;
            }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, rates.Count).Select(j => (double)j).ToArray(),
            rates.Select(r => r.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, layers.Count).Select(i => (double)(layers.Count - 1 - i)).ToArray(),
            layers.Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.XLabel("clipping rate xi");
        plot.YLabel("layer");
        plot.Title($"{target}, {summary.Split} accuracy (unpruned {baseline:F4})");
        plot.Axes.SetLimits(-0.5, rates.Count - 0.5, -0.5, layers.Count - 0.5);
        plot.SavePng(path, Math.Max(640, 90 * rates.Count + 300), Math.Max(360, 40 * layers.Count + 160));
    }
}
