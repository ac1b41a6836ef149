using System.Text;
using System.Text.Json.Nodes;
using IclPrune.Evaluation;
using IclPrune.Output;
using static IclPrune.Reports.Html.Html;

namespace IclPrune.Reports.Html;

/// <summary>
/// `report`: one self-contained HTML page (inline CSS, SVG and a small script; nothing fetched, so it opens offline
/// and can be attached to a pull request) from any mix of results JSON, sweep and demo folders and snapshots.
/// Sections: gate verdicts first (what a reviewer decides on), then evals, demos, sweeps and Algorithm 1.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "report.html";

    /// <summary>Reads <paramref name="inputs"/> and writes the page atomically to <paramref name="outFile"/>.</summary>
    public static string Write(IReadOnlyList<string> inputs, string outFile)
    {
        string html = Render(ReportInputs.Read(inputs));
        AtomicFile.WriteAllText(outFile, html);
        return Path.GetFullPath(outFile);
    }

    public static string Render(ReportInputs inputs)
    {
        var body = new StringBuilder();
        if (inputs.Snapshots.Count > 0) body.Append(GateSection.Render(inputs.Snapshots.Values));
        foreach (var (source, result) in inputs.Evaluations) body.Append(EvaluationSection.Render(source, result));
        foreach (var (source, demo) in inputs.Demos) body.Append(DemoSection.Render(source, demo));
        var flipData = new JsonObject();
        for (int i = 0; i < inputs.Sweeps.Count; i++) body.Append(SweepSection.Render($"s{i}", inputs.Sweeps[i], flipData));
        foreach (var (source, search) in inputs.Searches) body.Append(SearchSection.Render(source, search));

        return new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>icl-prune report</title>")
            .Append("<style>").Append(Style).Append("</style></head><body>")
            .Append("<h1>icl-prune report</h1>")
            .Append($"<p class=\"meta\">from {E(string.Join(", ", inputs.Sources))}</p>")
            .Append(body)
            // The default encoder escapes <, > and &, so the JSON cannot close its script element.
            .Append("<script type=\"application/json\" id=\"flip-data\">").Append(flipData.ToJsonString()).Append("</script>")
            .Append("<script>").Append(Script).Append("</script></body></html>\n")
            .ToString();
    }

    const string Style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#222}
        h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}h3{font-size:15px}
        .meta{color:#666;font-size:12px}
        table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}
        th{background:#f5f5f5}td:first-child{text-align:left}tr.total td{font-weight:600}tr.best td{font-weight:600}
        table.heatmap td{cursor:pointer;font-variant-numeric:tabular-nums}table.heatmap td.selected{outline:2px solid #000}
        section.gate td,section.gate th{text-align:left}
        tr.ok td:nth-child(2){color:#2ca02c}tr.warn td:nth-child(2){color:#b8860b}tr.bad td:nth-child(2){color:#d62728;font-weight:600}
        svg.chart{display:block;margin:8px 0;font-size:11px}svg .grid{stroke:#e4e4e4}svg .tick{fill:#666}svg .axis{fill:#444}
        svg .mark{stroke:#888;stroke-dasharray:4 3}
        .flips{border-left:3px solid #ddd;padding-left:12px}.flips pre{background:#f7f7f7;padding:8px;white-space:pre-wrap;max-height:320px;overflow:auto}
        """;

    /// <summary>Click a heatmap cell: list the items it flipped from the page's flip data (textContent only, no HTML from data).</summary>
    const string Script = """
        (function () {
          const data = JSON.parse(document.getElementById('flip-data').textContent);
          function el(tag, text) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
          function show(td) {
            const sweep = data[td.dataset.sweep], key = td.dataset.cell, seeds = sweep.cells[key] || [];
            const panel = document.getElementById('flips-' + td.dataset.sweep);
            document.querySelectorAll('td.selected').forEach(x => x.classList.remove('selected'));
            td.classList.add('selected');
            panel.replaceChildren(el('h4', key + ': items that changed against the unpruned model'));
            if (!seeds.length) panel.append(el('p', 'No per-item data for this cell.'));
            for (const s of seeds) {
              for (const kind of ['lost', 'gained']) {
                const list = s[kind], total = list.length + s['more_' + kind];
                panel.append(el('p', 'seed ' + s.seed + ': ' + total + (kind === 'lost' ? ' lost (right unpruned, wrong pruned)' : ' gained (wrong unpruned, right pruned)') +
                  (s['more_' + kind] ? ', first ' + list.length + ' listed' : '')));
                const ul = el('ul');
                for (const f of list) {
                  const details = el('details');
                  details.append(el('summary', f.item + ': gold ' + f.gold.trim() + ', unpruned answered ' + f.was.trim() + ', pruned answered ' + f.now.trim()));
                  const prompt = sweep.prompts[s.seed + ':' + f.i];
                  details.append(el('pre', prompt === undefined ? '(prompt not available: the task is not built in, its data changed, or the page limit was reached)' : prompt));
                  const li = el('li'); li.append(details); ul.append(li);
                }
                panel.append(ul);
              }
            }
          }
          document.querySelectorAll('td[data-cell]').forEach(td => td.addEventListener('click', () => show(td)));
        })();
        """;
}
