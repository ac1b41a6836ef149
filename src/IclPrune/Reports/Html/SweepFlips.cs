using System.Text.Json;
using System.Text.Json.Nodes;
using IclPrune.Evaluation;
using IclPrune.Search;

namespace IclPrune.Reports.Html;

/// <summary>
/// Which scored items each sweep cell got right where the unpruned model got them wrong (gained) or the reverse
/// (lost), per seed, read from the sweep's journal.jsonl: results.json keeps only the counts, the journal keeps
/// every cell's per-item correctness. Read loosely: a torn or foreign line is skipped, not fatal.
/// </summary>
public sealed record SweepFlips(TaskIdentity? Task, int Shots, IReadOnlyList<string> Items,
    IReadOnlyDictionary<string, IReadOnlyList<SeedFlips>> Cells)
{
    public static SweepFlips? Read(string journalPath)
    {
        if (!File.Exists(journalPath)) return null;
        var results = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(journalPath))
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException)
            {
                continue;   // a torn last line of a killed sweep
            }
            if (node?["kind"]?.GetValue<string>() == "cell" && node["key"]?.GetValue<string>() is { } key && node["result"] is { } result)
                results[key] = result;
        }
        if (!results.TryGetValue(SweepJournal.BaselineKey, out var baseline)) return null;

        var baselineSeeds = Seeds(baseline);
        var cells = new Dictionary<string, IReadOnlyList<SeedFlips>>(StringComparer.Ordinal);
        foreach (var (key, result) in results)
        {
            if (key == SweepJournal.BaselineKey) continue;
            var flips = new List<SeedFlips>();
            foreach (var (seed, correct, predictions) in Seeds(result))
            {
                var before = baselineSeeds.FirstOrDefault(b => b.Seed == seed);
                if (before.Correct is null || before.Correct.Length != correct.Length) continue;
                var lost = new List<ItemFlip>();
                var gained = new List<ItemFlip>();
                for (int i = 0; i < correct.Length; i++)
                {
                    if (before.Correct[i] == correct[i]) continue;
                    var flip = new ItemFlip(i, At(before.Predictions, i), At(predictions, i));
                    (correct[i] ? gained : lost).Add(flip);
                }
                flips.Add(new SeedFlips(seed, lost, gained));
            }
            cells[key] = flips;
        }
        TaskIdentity? task = baseline["task"] is JsonObject t ? t.Deserialize<TaskIdentity>(SearchJson.Options) : null;
        var items = baseline["items"]?.AsArray().Select(i => i?.GetValue<string>() ?? "").ToList() ?? [];
        int shots = baseline["shots"]?.GetValue<int>() ?? 0;
        return new SweepFlips(task, shots, items, cells);
    }

    static int? At(int[]? values, int i) => values is not null && i < values.Length ? values[i] : null;

    static List<(int Seed, bool[] Correct, int[]? Predictions)> Seeds(JsonNode result) =>
        result["per_seed"]?.AsArray()
            .Where(s => s?["seed"] is not null && s["item_correct"] is JsonArray)
            .Select(s => (s!["seed"]!.GetValue<int>(),
                s["item_correct"]!.AsArray().Select(c => c?.GetValue<bool>() ?? false).ToArray(),
                s["predictions"] is JsonArray p ? p.Select(x => x?.GetValue<int>() ?? -1).ToArray() : null))
            .ToList() ?? [];
}

/// <summary>One seed of one cell: the items it lost and gained against the unpruned model.</summary>
public sealed record SeedFlips(int Seed, IReadOnlyList<ItemFlip> Lost, IReadOnlyList<ItemFlip> Gained);

/// <summary>Item <paramref name="Index"/> of the scored split, with the class each model predicted when recorded.</summary>
public sealed record ItemFlip(int Index, int? BaselinePrediction, int? PrunedPrediction);
