using System.Globalization;
using System.Text;
using static IclPrune.Reports.Html.Html;

namespace IclPrune.Reports.Html;

/// <summary>
/// The report's two charts, drawn as inline SVG (no chart library, nothing fetched): accuracies with their 95%
/// intervals on a 0-1 axis, and lines over an ordinal x axis (shots, clipping rates). Every mark has a title, so
/// hovering shows its numbers.
/// </summary>
internal static class SvgCharts
{
    public static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"];

    public sealed record IntervalRow(string Label, double Value, double Low, double High, string Tooltip, int Colour = 0);

    public sealed record Series(string Name, IReadOnlyList<double?> Values);

    static string N(double x) => x.ToString("0.#", CultureInfo.InvariantCulture);

    public static string Intervals(IReadOnlyList<IntervalRow> rows)
    {
        const int labelWidth = 170, plotWidth = 320, rowHeight = 20, top = 8, axis = 24;
        int width = labelWidth + plotWidth + 20, height = top + rows.Count * rowHeight + axis;
        double X(double v) => labelWidth + Math.Clamp(v, 0, 1) * plotWidth;
        var svg = new StringBuilder($"<svg class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">");
        foreach (double tick in new[] { 0, 0.25, 0.5, 0.75, 1 })
            svg.Append($"<line class=\"grid\" x1=\"{N(X(tick))}\" x2=\"{N(X(tick))}\" y1=\"{top}\" y2=\"{height - axis}\"/>" +
                       $"<text class=\"tick\" x=\"{N(X(tick))}\" y=\"{height - 8}\" text-anchor=\"middle\">{F(tick, "0.##")}</text>");
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            double y = top + i * rowHeight + rowHeight / 2.0;
            string colour = Palette[r.Colour % Palette.Length];
            svg.Append($"<g><title>{E(r.Tooltip)}</title>")
                .Append($"<text x=\"{labelWidth - 8}\" y=\"{N(y + 4)}\" text-anchor=\"end\">{E(r.Label)}</text>")
                .Append($"<line x1=\"{N(X(r.Low))}\" x2=\"{N(X(r.High))}\" y1=\"{N(y)}\" y2=\"{N(y)}\" stroke=\"{colour}\" stroke-width=\"2\"/>")
                .Append($"<circle cx=\"{N(X(r.Value))}\" cy=\"{N(y)}\" r=\"4\" fill=\"{colour}\"/></g>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <param name="mark">Index of the x value to mark with a dashed line (Algorithm 1's xi*), if any.</param>
    public static string Lines(IReadOnlyList<string> xLabels, IReadOnlyList<Series> series, string xTitle, string yTitle, int? mark = null)
    {
        const int left = 50, right = 150, top = 10, bottom = 44, plotWidth = 380, plotHeight = 200;
        int width = left + plotWidth + right, height = top + plotHeight + bottom;
        double X(int i) => left + (xLabels.Count == 1 ? plotWidth / 2.0 : i * plotWidth / (double)(xLabels.Count - 1));
        double Y(double v) => top + (1 - Math.Clamp(v, 0, 1)) * plotHeight;
        var svg = new StringBuilder($"<svg class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">");
        foreach (double tick in new[] { 0, 0.25, 0.5, 0.75, 1 })
            svg.Append($"<line class=\"grid\" x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{N(Y(tick))}\" y2=\"{N(Y(tick))}\"/>" +
                       $"<text class=\"tick\" x=\"{left - 6}\" y=\"{N(Y(tick) + 4)}\" text-anchor=\"end\">{F(tick, "0.##")}</text>");
        for (int i = 0; i < xLabels.Count; i++)
            svg.Append($"<text class=\"tick\" x=\"{N(X(i))}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\">{E(xLabels[i])}</text>");
        svg.Append($"<text class=\"axis\" x=\"{left + plotWidth / 2}\" y=\"{height - 6}\" text-anchor=\"middle\">{E(xTitle)}</text>")
            .Append($"<text class=\"axis\" x=\"12\" y=\"{top + plotHeight / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {top + plotHeight / 2})\">{E(yTitle)}</text>");
        if (mark is { } m && m >= 0 && m < xLabels.Count)
            svg.Append($"<line class=\"mark\" x1=\"{N(X(m))}\" x2=\"{N(X(m))}\" y1=\"{top}\" y2=\"{top + plotHeight}\"/>");
        for (int s = 0; s < series.Count; s++)
        {
            string colour = Palette[s % Palette.Length];
            var points = series[s].Values.Select((v, i) => (v, i)).Where(p => p.v is not null).ToList();
            svg.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"")
                .AppendJoin(" ", points.Select(p => $"{N(X(p.i))},{N(Y(p.v!.Value))}")).Append("\"/>");
            foreach (var (v, i) in points)
                svg.Append($"<circle cx=\"{N(X(i))}\" cy=\"{N(Y(v!.Value))}\" r=\"3.5\" fill=\"{colour}\">" +
                           $"<title>{E($"{series[s].Name}, {xTitle} {xLabels[i]}: {F(v.Value)}")}</title></circle>");
            int legendY = top + 14 + s * 18;
            svg.Append($"<rect x=\"{left + plotWidth + 14}\" y=\"{legendY - 9}\" width=\"12\" height=\"4\" fill=\"{colour}\"/>" +
                       $"<text x=\"{left + plotWidth + 32}\" y=\"{legendY - 3}\">{E(series[s].Name)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }
}
