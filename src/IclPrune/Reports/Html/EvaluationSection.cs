using System.Text;
using IclPrune.Evaluation;
using static IclPrune.Reports.Html.Html;

namespace IclPrune.Reports.Html;

/// <summary>One `eval` results JSON: accuracy per seed with its Wilson 95% interval, as a table and a chart.</summary>
internal static class EvaluationSection
{
    public static string Render(string source, EvaluationResult r)
    {
        string pruning = r.PruneSpecs.Count == 0 ? "unpruned" : string.Join(" ", r.PruneSpecs);
        var html = new StringBuilder()
            .Append($"<section class=\"eval\"><h2>eval: {E(r.Model.Id)} on {E(r.Task.Id)}/{E(r.Task.Split)}</h2>")
            .Append($"<p class=\"meta\">{I(r.Shots)} shots, {E(pruning)}, {E(r.Device)} {E(r.DType)}; {E(source)}</p>")
            .Append("<table><tr><th>seed</th><th>n</th><th>correct</th><th>accuracy</th><th>95% CI (Wilson)</th></tr>");
        foreach (var s in r.PerSeed)
            html.Append($"<tr><td>{I(s.Seed)}</td><td>{I(s.N)}</td><td>{I(s.Correct)}</td><td>{F(s.Accuracy)}</td><td>{Ci(s.Ci95)}</td></tr>");
        html.Append($"<tr class=\"total\"><td>mean</td><td></td><td></td><td>{F(r.Accuracy)}</td><td>± {F(r.AccuracyStd)} (std over seeds)</td></tr></table>");
        html.Append(SvgCharts.Intervals(r.PerSeed.Select(s => new SvgCharts.IntervalRow(
            $"seed {s.Seed}", s.Accuracy, s.Ci95.Low, s.Ci95.High, $"seed {s.Seed}: {F(s.Accuracy)} {Ci(s.Ci95)}, n {s.N}")).ToList()));
        return html.Append("</section>").ToString();
    }
}
