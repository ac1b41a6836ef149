using System.Text;
using System.Text.Json.Nodes;
using IclPrune.Evaluation.Statistics;
using static IclPrune.Reports.Html.Html;

namespace IclPrune.Reports.Html;

/// <summary>
/// Snapshot gate verdicts: each approved (.verified.json) snapshot and the received one that differs from it. The
/// files are read loosely - accuracy, per-seed n/correct/items, model/task/prune fields - by path, not through the
/// IclAssertions types, so the page still opens when the snapshot schema grows. Per seed, the items that flipped
/// give an exact McNemar p (the gate's own test).
/// </summary>
internal static class GateSection
{
    static readonly string[][] Identity =
    [
        ["model", "id"], ["model", "fingerprint"], ["task", "id"], ["task", "split"], ["task", "fingerprint"],
        ["prune_specs"], ["shots"], ["seeds"], ["accuracy"],
    ];

    public static string Render(IEnumerable<SnapshotPair> pairs)
    {
        var html = new StringBuilder("<section class=\"gate\"><h2>Gate verdicts (snapshots)</h2>")
            .Append("<table><tr><th>snapshot</th><th>verdict</th><th>approved</th><th>received</th><th>per seed: lost / gained, McNemar p</th><th>what changed</th></tr>");
        foreach (var pair in pairs)
        {
            var (verdict, css, seeds) = Judge(pair);
            var changes = pair.Verified is not null && pair.Received is not null
                ? Identity.Select(path => (Name: string.Join(".", path), Was: Field(pair.Verified, path), Now: Field(pair.Received, path)))
                    .Where(c => c.Was != c.Now).Select(c => $"{c.Name}: {c.Was ?? "(none)"} → {c.Now ?? "(none)"}").ToList()
                : [];
            html.Append($"<tr class=\"{css}\"><td>{E(pair.Name)}</td><td>{E(verdict)}</td>")
                .Append($"<td>{E(Summary(pair.Verified))}</td><td>{E(Summary(pair.Received))}</td>")
                .Append($"<td>{E(string.Join("; ", seeds))}</td><td>{E(string.Join("; ", changes))}</td></tr>");
        }
        return html.Append("</table></section>").ToString();
    }

    static (string Verdict, string Css, List<string> Seeds) Judge(SnapshotPair pair)
    {
        if (pair.Received is null) return ("approved", "ok", []);
        if (pair.Verified is null) return ("new: received, not yet approved", "warn", []);
        var seeds = new List<string>();
        bool worse = false;
        var approved = PerSeed(pair.Verified);
        foreach (var now in PerSeed(pair.Received))
        {
            var was = approved.FirstOrDefault(a => a.Seed == now.Seed);
            if (was.Items is null || now.Items is null || was.Items.Length != now.Items.Length)
            {
                seeds.Add($"seed {now.Seed}: no comparable items");
                continue;
            }
            long lost = 0, gained = 0;
            for (int i = 0; i < now.Items.Length; i++)
            {
                if (was.Items[i] && !now.Items[i]) lost++;
                if (!was.Items[i] && now.Items[i]) gained++;
            }
            double p = ExactMcNemar.TwoSidedPValue(lost, gained);
            worse |= p < 0.05 && lost > gained;
            seeds.Add($"seed {now.Seed}: {lost} / {gained}, p {P(p)}");
        }
        return worse ? ("changed: significantly worse on a seed", "bad", seeds) : ("changed: awaiting review", "warn", seeds);
    }

    static string Summary(JsonNode? snapshot) =>
        snapshot is null ? "-" : $"accuracy {Field(snapshot, ["accuracy"]) ?? "?"} ({Field(snapshot, ["model", "id"]) ?? "?"}, {Field(snapshot, ["task", "id"]) ?? "?"}, {Field(snapshot, ["prune_specs"]) ?? "unpruned"})";

    /// <summary>A field as text, or null when absent: "model.id" also accepts a plain "model" string.</summary>
    static string? Field(JsonNode? node, string[] path)
    {
        foreach (string key in path)
        {
            if (node is JsonValue) break;   // "model": "tiny" where model.id was asked
            node = node?[key];
        }
        return node switch
        {
            null => null,
            JsonArray a => a.Count == 0 ? null : string.Join(" ", a.Select(x => x?.ToString())),
            JsonValue v => v.ToString(),
            _ => node.ToJsonString(),
        };
    }

    static List<(int Seed, bool[]? Items)> PerSeed(JsonNode snapshot) =>
        (snapshot["per_seed"] as JsonArray ?? [])
            .Where(s => s?["seed"] is JsonValue)
            .Select(s => (int.TryParse(s!["seed"]!.ToString(), out int seed) ? seed : -1, Items(s)))
            .ToList();

    /// <summary>"items": hex, four items per character, item 0 in the high bit (IclAssertions CorrectnessBits); or a bool list.</summary>
    static bool[]? Items(JsonNode seed)
    {
        int n = seed["n"] is JsonValue v && int.TryParse(v.ToString(), out int count) ? count : -1;
        if (seed["items"] is JsonValue hexNode && hexNode.ToString() is { } hex && n >= 0 && hex.Length == (n + 3) / 4)
        {
            var items = new bool[n];
            for (int i = 0; i < n; i++)
            {
                if (!int.TryParse(hex.AsSpan(i / 4, 1), System.Globalization.NumberStyles.HexNumber, null, out int nibble)) return null;
                items[i] = (nibble & (8 >> (i % 4))) != 0;
            }
            return items;
        }
        return seed["item_correct"] is JsonArray list ? list.Select(x => x?.GetValue<bool>() ?? false).ToArray() : null;
    }
}
