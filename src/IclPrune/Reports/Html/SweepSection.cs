using System.Text;
using System.Text.Json.Nodes;
using IclPrune.Search;
using static IclPrune.Reports.Html.Html;

namespace IclPrune.Reports.Html;

/// <summary>
/// A sweep as one heatmap table per target (layers x rates, coloured by the change against the unpruned model).
/// Hovering a cell shows accuracy, delta, and per seed the CI, McNemar p and n; clicking it lists the items it
/// flipped, with their prompts, from the data this section adds to the page's flip data (rendered by the page's script).
/// </summary>
internal static class SweepSection
{
    /// <summary>Items listed per seed and direction; the rest are counted. Prompts kept per sweep (they repeat across cells).</summary>
    const int ItemsPerList = 25, PromptsPerSweep = 400;

    public static string Render(string id, SweepInput input, JsonObject flipData)
    {
        var summary = input.Summary;
        var html = new StringBuilder()
            .Append($"<section class=\"sweep\"><h2>sweep: {E(input.Flips?.Task?.Id ?? "")} ({E(summary.Split)} split), unpruned {F(summary.Baseline.Accuracy)}</h2>")
            .Append($"<p class=\"meta\">{E(input.Source)}</p>")
            .Append(SvgCharts.Intervals(summary.Baseline.PerSeed.Select(s => new SvgCharts.IntervalRow(
                $"unpruned, seed {s.Seed}", s.Accuracy, s.Ci95.Low, s.Ci95.High, $"unpruned seed {s.Seed}: {F(s.Accuracy)} {Ci(s.Ci95)}, n {s.N}")).ToList()))
            .Append("<p>Colour: change against the unpruned model (red worse, green better); * marks McNemar p &lt; 0.05 on every seed. ")
            .Append("Hover a cell for its numbers, click it for the items it flipped.</p>");
        double scale = Math.Max(0.05, summary.Cells.Select(c => Math.Abs(c.Delta)).DefaultIfEmpty(0).Max());
        foreach (string target in summary.Grid.Targets)
        {
            html.Append($"<h3>{E(target)}</h3><table class=\"heatmap\"><tr><th>layer \\ rate</th>")
                .AppendJoin("", summary.Grid.Rates.Select(r => $"<th>{D(r)}</th>")).Append("</tr>");
            foreach (int layer in summary.Grid.Layers)
            {
                html.Append($"<tr><th>{I(layer)}</th>");
                foreach (decimal rate in summary.Grid.Rates)
                {
                    var cell = summary.Cells.FirstOrDefault(c => c.Layer == layer && c.Target == target && c.Rate == rate);
                    html.Append(cell is null ? "<td class=\"missing\">-</td>" : Cell(id, cell, scale));
                }
                html.Append("</tr>");
            }
            html.Append("</table>");
        }
        html.Append($"<div class=\"flips\" id=\"flips-{id}\"><p>{(input.Flips is null ? "No journal.jsonl beside this sweep's results: flipped items cannot be listed." : "Click a cell to list the items it flipped.")}</p></div>");
        flipData[id] = FlipData(input.Flips);
        return html.Append("</section>").ToString();
    }

    static string Cell(string id, SweepCellSummary c, double scale)
    {
        bool significant = c.PerSeed.Count > 0 && c.PerSeed.All(s => s.McNemarP < 0.05);
        double alpha = Math.Min(1, Math.Abs(c.Delta) / scale) * 0.75;
        string colour = c.Delta < 0 ? $"rgba(214,39,40,{F(alpha, "F2")})" : $"rgba(44,160,44,{F(alpha, "F2")})";
        var tip = new StringBuilder($"{c.Spec}\naccuracy {F(c.Accuracy)} (std {F(c.AccuracyStd)}), delta {Signed(c.Delta)}");
        foreach (var s in c.PerSeed)
            tip.Append($"\nseed {s.Seed}: {F(s.PrunedAccuracy)} {Ci(s.PrunedCi95)} vs unpruned {F(s.BaselineAccuracy)}, " +
                       $"lost {s.BaselineOnlyCorrect} / gained {s.PrunedOnlyCorrect}, McNemar p {P(s.McNemarP)}, n {s.N}");
        return $"<td data-sweep=\"{id}\" data-cell=\"{E(c.Spec)}\" style=\"background:{colour}\" title=\"{E(tip.ToString())}\">" +
               $"{F(c.Accuracy)}{(significant ? "*" : "")}</td>";
    }

    static JsonObject FlipData(SweepFlips? flips)
    {
        var cells = new JsonObject();
        var prompts = new JsonObject();
        var data = new JsonObject { ["cells"] = cells, ["prompts"] = prompts };
        if (flips is null) return data;
        var render = FlippedPrompts.TryCreate(flips.Task, flips.Shots);
        string Answer(int index, int? cls) => render?.Answer(index, cls) ?? (cls is { } c ? $"class {c}" : "?");
        JsonArray List(int seed, IReadOnlyList<ItemFlip> list)
        {
            var json = new JsonArray();
            foreach (var f in list.Take(ItemsPerList))
            {
                string item = f.Index < flips.Items.Count ? flips.Items[f.Index] : $"item {f.Index}";
                json.Add(new JsonObject
                {
                    ["i"] = f.Index, ["item"] = item, ["gold"] = render?.Answer(f.Index) ?? "?",
                    ["was"] = Answer(f.Index, f.BaselinePrediction), ["now"] = Answer(f.Index, f.PrunedPrediction),
                });
                string key = $"{seed}:{f.Index}";
                if (render is not null && !prompts.ContainsKey(key) && prompts.Count < PromptsPerSweep)
                    prompts[key] = render.Prompt(seed, f.Index);
            }
            return json;
        }
        foreach (var (key, seeds) in flips.Cells)
            cells[key] = new JsonArray(seeds.Select(s => (JsonNode)new JsonObject
            {
                ["seed"] = s.Seed,
                ["lost"] = List(s.Seed, s.Lost), ["more_lost"] = Math.Max(0, s.Lost.Count - ItemsPerList),
                ["gained"] = List(s.Seed, s.Gained), ["more_gained"] = Math.Max(0, s.Gained.Count - ItemsPerList),
            }).ToArray());
        return data;
    }
}
