using System.Text;
using IclPrune.Search;
using static IclPrune.Reports.Html.Html;

namespace IclPrune.Reports.Html;

/// <summary>Algorithm 1: its validation curve with xi* marked, then test accuracy unpruned vs pruned per seed.</summary>
internal static class SearchSection
{
    public static string Render(string source, SearchResult s)
    {
        var html = new StringBuilder()
            .Append($"<section class=\"search\"><h2>Algorithm 1: {E(s.Module)}</h2>")
            .Append($"<p class=\"meta\">{E(source)}</p>")
            .Append($"<p>Top-{I(s.TopK)} layers by condition number ({E(s.ConditionReduce)}): {E(string.Join(", ", s.TopLayers))}; ")
            .Append($"chosen layer <b>{I(s.ChosenLayer)}</b>; xi* = <b>{D(s.BestRate)}</b> ({E(s.BestSpec ?? "unpruned")}).</p>")
            .Append("<h3>Validation curve</h3>");
        int best = s.ValidationCurve.ToList().FindIndex(p => p.Rate == s.BestRate);
        html.Append(SvgCharts.Lines(s.ValidationCurve.Select(p => D(p.Rate)).ToList(),
            [new SvgCharts.Series("validation accuracy", s.ValidationCurve.Select(p => (double?)p.Accuracy).ToList())],
            "clipping rate", "validation accuracy", best));
        html.Append("<table><tr><th>rate</th><th>spec</th><th>validation accuracy</th><th>correct</th><th>taken</th></tr>");
        foreach (var p in s.ValidationCurve)
            html.Append($"<tr{(p.Rate == s.BestRate ? " class=\"best\"" : "")}><td>{D(p.Rate)}</td><td>{E(p.Spec)}</td><td>{F(p.Accuracy)}</td>" +
                        $"<td>{I(p.Correct)}/{I(p.N)}</td><td>{(p.Improved ? "yes" : "")}</td></tr>");
        html.Append("</table><h3>Test split: unpruned vs xi*</h3>")
            .Append("<table><tr><th>seed</th><th>n</th><th>unpruned (95% CI)</th><th>pruned (95% CI)</th><th>lost / gained</th><th>McNemar p</th></tr>");
        foreach (var t in s.Test.PerSeed)
            html.Append($"<tr><td>{I(t.Seed)}</td><td>{I(t.N)}</td><td>{F(t.BaselineAccuracy)} {Ci(t.BaselineCi95)}</td>" +
                        $"<td>{F(t.PrunedAccuracy)} {Ci(t.PrunedCi95)}</td><td>{I(t.BaselineOnlyCorrect)} / {I(t.PrunedOnlyCorrect)}</td><td>{P(t.McNemarP)}</td></tr>");
        html.Append($"<tr class=\"total\"><td>mean</td><td></td><td>{F(s.Test.BaselineAccuracy)}</td><td>{F(s.Test.PrunedAccuracy)}</td><td></td><td></td></tr></table>");
        html.Append(SvgCharts.Intervals(s.Test.PerSeed.SelectMany(t => new[]
        {
            new SvgCharts.IntervalRow($"seed {t.Seed} unpruned", t.BaselineAccuracy, t.BaselineCi95.Low, t.BaselineCi95.High,
                $"seed {t.Seed} unpruned: {F(t.BaselineAccuracy)} {Ci(t.BaselineCi95)}, n {t.N}"),
            new SvgCharts.IntervalRow($"seed {t.Seed} pruned", t.PrunedAccuracy, t.PrunedCi95.Low, t.PrunedCi95.High,
                $"seed {t.Seed} pruned: {F(t.PrunedAccuracy)} {Ci(t.PrunedCi95)}, McNemar p {P(t.McNemarP)}", 1),
        }).ToList()));
        return html.Append("</section>").ToString();
    }
}
