using System.Globalization;
using IclPrune.Search;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IclPrune.Tool.Commands;

/// <summary>
/// A finished sweep as terminal tables, one per target (layers x rates), with the markers of results.md: bold beats
/// the unpruned model, * is an exact McNemar p &lt; 0.05 on every seed.
/// </summary>
internal static class SweepTables
{
    /// <summary>Per target a heading line and its table (a table title would wrap at the table's width), then the legend.</summary>
    public static IEnumerable<IRenderable> Of(SweepSummary summary)
    {
        string F(double x) => x.ToString("F4", CultureInfo.InvariantCulture);
        foreach (string target in summary.Grid.Targets)
        {
            yield return new Text($"{target}: {summary.Split} accuracy per layer and clipping rate (unpruned {F(summary.Baseline.Accuracy)})");
            var table = new Table().Border(TableBorder.Simple).AddColumn("layer");
            foreach (decimal rate in summary.Grid.Rates) table.AddColumn(new TableColumn(rate.ToString(CultureInfo.InvariantCulture)).RightAligned());
            foreach (int layer in summary.Grid.Layers)
            {
                var row = new List<string> { layer.ToString(CultureInfo.InvariantCulture) };
                foreach (decimal rate in summary.Grid.Rates)
                {
                    var cell = summary.Cells.FirstOrDefault(c => c.Layer == layer && c.Target == target && c.Rate == rate);
                    if (cell is null)
                    {
                        row.Add("");
                        continue;
                    }
                    string text = F(cell.Accuracy) + (cell.PerSeed.Count > 0 && cell.PerSeed.All(s => s.McNemarP < 0.05) ? "*" : "");
                    row.Add(cell.Accuracy > summary.Baseline.Accuracy ? $"[bold]{text}[/]" : text);
                }
                table.AddRow(row.ToArray());
            }
            yield return table;
        }
        yield return new Text("bold: better than unpruned; *: exact McNemar p < 0.05 on every seed\n");   // a whole line: output may follow
    }
}
