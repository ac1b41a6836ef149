using System.Text;
using IclPrune.Demo;
using static IclPrune.Reports.Html.Html;

namespace IclPrune.Reports.Html;

/// <summary>The demo's own part: ICL accuracy vs number of demonstrations per task (its sweep and searches have their sections).</summary>
internal static class DemoSection
{
    public static string Render(string source, DemoResult r)
    {
        var shots = r.ShotsCurve.Select(p => p.Shots).Distinct().Order().ToList();
        var tasks = r.ShotsCurve.GroupBy(p => p.Task).ToList();
        var html = new StringBuilder()
            .Append($"<section class=\"demo\"><h2>demo: {E(r.Model.Id)}</h2>")
            .Append($"<p class=\"meta\">fingerprint <code>{E(r.Model.Fingerprint)}</code>, {E(r.Device)} {E(r.DType)}, seeds {E(string.Join(", ", r.Seeds))}; {E(source)}</p>")
            .Append("<h3>In-context learning: test accuracy vs shots (mean ± std over seeds)</h3>")
            .Append("<table><tr><th>task</th><th>chance</th>").AppendJoin("", shots.Select(s => $"<th>{I(s)}-shot</th>")).Append("</tr>");
        foreach (var task in tasks)
        {
            html.Append($"<tr><td>{E(task.Key)}</td><td>{F(task.First().Chance, "F3")}</td>");
            foreach (int s in shots)
                html.Append(task.FirstOrDefault(p => p.Shots == s) is { } p
                    ? $"<td title=\"{E(string.Join("\n", p.PerSeed.Select(x => $"seed {x.Seed}: {F(x.Accuracy)} {Ci(x.Ci95)}, n {x.N}")))}\">{F(p.Accuracy, "F3")} ± {F(p.AccuracyStd, "F3")}</td>"
                    : "<td></td>");
            html.Append("</tr>");
        }
        html.Append("</table>");
        html.Append(SvgCharts.Lines(shots.Select(s => I(s)).ToList(),
            tasks.Select(t => new SvgCharts.Series(t.Key, shots.Select(s => t.FirstOrDefault(p => p.Shots == s)?.Accuracy).ToList())).ToList(),
            "shots", "test accuracy"));
        return html.Append("</section>").ToString();
    }
}
