using System.Globalization;
using IclPrune.Output;
using IclPrune.Search;
using ScottPlot;

namespace IclPrune.Reports;

/// <summary>
/// Layer x rate heatmap of one target's accuracies. White is the unpruned accuracy (blue better, red worse), so the
/// baseline is marked on every cell; the title states it, and each cell prints its accuracy. The scale spans only
/// accuracies that occur (within [0, 1]), with white placed at the baseline rather than in the middle, so the colour
/// bar never shows impossible accuracies above 1.
/// </summary>
public static class SweepHeatmap
{
    public static void Save(SweepSummary summary, string target, string path)
    {
        var layers = summary.Grid.Layers;
        var rates = summary.Grid.Rates;
        double baseline = summary.Baseline.Accuracy;
        var values = new double[layers.Count, rates.Count];   // [row = layer (top: first), column = rate]
        double low = baseline, high = baseline;
        for (int i = 0; i < layers.Count; i++)
            for (int j = 0; j < rates.Count; j++)
            {
                var cell = summary.Cells.First(c => c.Layer == layers[i] && c.Target == target && c.Rate == rates[j]);
                values[i, j] = cell.Accuracy;
                low = Math.Min(low, cell.Accuracy);
                high = Math.Max(high, cell.Accuracy);
            }
        // A flat sweep still needs a range; widen it inside [0, 1] around the baseline.
        if (high - low < 1e-6)
        {
            low = Math.Max(0, baseline - 0.05);
            high = Math.Min(1, baseline + 0.05);
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.CustomInterpolated(Ramp((baseline - low) / (high - low)));
        heatmap.ManualRange = new ScottPlot.Range(low, high);
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
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(Math.Max(640, 90 * rates.Count + 300), Math.Max(360, 40 * layers.Count + 160), ImageFormat.Png));
    }

    /// <summary>101 colour stops from red (lowest) through white (at <paramref name="whiteAt"/> in [0, 1]) to blue (highest).</summary>
    static Color[] Ramp(double whiteAt)
    {
        static Color Mix(Color a, Color b, double t) => new(
            (byte)Math.Round(a.R + (b.R - a.R) * t), (byte)Math.Round(a.G + (b.G - a.G) * t), (byte)Math.Round(a.B + (b.B - a.B) * t));
        var stops = new Color[101];
        for (int k = 0; k <= 100; k++)
        {
            double x = k / 100.0;
            stops[k] = x <= whiteAt
                ? Mix(Colors.FireBrick, Colors.White, whiteAt <= 0 ? 1 : x / whiteAt)
                : Mix(Colors.White, Colors.SteelBlue, (x - whiteAt) / (1 - whiteAt));
        }
        return stops;
    }
}
