using System.Globalization;
using IclPrune.Search;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>
/// A finished sweep as terminal tables, one per target (layers x rates), with the markers of results.md: bold beats
/// the unpruned model, * is an exact McNemar p &lt; 0.05 on every seed.
/// </summary>
internal static class SweepTables
{
    public static IEnumerable<Table> Of(SweepSummary summary)
    {
        string F(double x) => x.ToString("F4", CultureInfo.InvariantCulture);
        foreach (string target in summary.Grid.Targets)
        {
            var table = new Table().Border(TableBorder.Simple)
                .Title(Markup.Escape($"{target}: {summary.Split} accuracy per layer and clipping rate (unpruned {F(summary.Baseline.Accuracy)})"))
                .Caption("bold: better than unpruned; *: McNemar p < 0.05 on every seed")
                .AddColumn("layer");
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
    }
}
