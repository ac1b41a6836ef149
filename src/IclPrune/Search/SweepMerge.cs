using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IclPrune.Evaluation;

namespace IclPrune.Search;

/// <summary>
/// Puts the shard journals of a sweep (FOLDER/shards/K-of-N.jsonl) back together into the result the unsharded sweep
/// would have given. Every journal must carry the same fingerprint (model, task, seeds, grid, split); a cell found in
/// several journals must have the same outcome in each (timings, device and batch size aside), else the merge stops
/// naming both; cells found in none are listed with the shard that owns them.
/// </summary>
public static partial class SweepMerge
{
    /// <summary>Lock name guarding the results a merge writes in the sweep folder (FOLDER/results.lock).</summary>
    public const string ResultsLockName = "results";

    public static SweepMergeOutcome Merge(string folder)
    {
        string shardFolder = Path.Combine(folder, SweepShard.Folder);
        var files = Directory.Exists(shardFolder)
            ? Directory.GetFiles(shardFolder, "*.jsonl").Select(f => (Path: f, Name: ShardName().Match(Path.GetFileName(f))))
                .Where(f => f.Name.Success)
                .OrderBy(f => int.Parse(f.Name.Groups[2].Value, CultureInfo.InvariantCulture))
                .ThenBy(f => int.Parse(f.Name.Groups[1].Value, CultureInfo.InvariantCulture))
                .Select(f => f.Path).ToList()
            : [];
        if (files.Count == 0)
            throw new IclPruneException($"no shard journals in '{shardFolder}': expected K-of-N.jsonl files written by `sweep --shard K/N --out {folder}`.");

        var journals = files.Select(f => (File: Relative(folder, f), Content: SweepJournal.Load(f))).Where(j => j.Content.Header is not null).ToList();
        if (journals.Count == 0)
            throw new IclPruneException($"the shard journals in '{shardFolder}' have no header yet: no shard has started its work.");
        var fingerprints = journals.GroupBy(j => j.Content.Fingerprint).ToList();
        if (fingerprints.Count > 1)
            throw new IclPruneException("the shard journals were written by different configurations (model, task, seeds, grid or split) " +
                "and are never merged: " + string.Join("; ", fingerprints.Select(g => $"fingerprint {g.Key} in {string.Join(", ", g.Select(j => j.File))}")) +
                ". Move the journals of the other sweep to their own folder.");

        var (grid, split) = Configuration(journals[0].File, journals[0].Content.Header!);
        var shards = journals.Select(j => ShardRecord(j.File, j.Content.Header!)).ToList();
        int modelLayers = shards[0].ModelLayers;
        if (grid.Layers.Where(l => l < 0 || l >= modelLayers).Select(l => (int?)l).FirstOrDefault() is int bad)
            throw new IclPruneException($"{journals[0].File}: layer {bad} of the grid is outside the {modelLayers}-layer model its header names.");

        var found = new Dictionary<string, (string File, EvaluationResult Result)>();
        var conflicts = new List<string>();
        foreach (var (file, content) in journals)
            foreach (var (key, result) in content.Finished)
            {
                if (!found.TryGetValue(key, out var first)) found[key] = (file, result);
                else if (Outcome(first.Result) != Outcome(result))
                    conflicts.Add($"{key}: {Describe(first.Result)} in {first.File} but {Describe(result)} in {file}");
            }
        if (conflicts.Count > 0)
            throw new IclPruneException($"{conflicts.Count} cell(s) have different results in different shard journals, so the merge would " +
                "depend on which one it took: " + string.Join("; ", conflicts.Take(10)) + (conflicts.Count > 10 ? "; ..." : "") +
                ". The same cell must give the same result; were these shards run with other software, device or batch size? " +
                "Delete the journal you distrust and rerun its shard.");

        var counts = shards.Select(s => s.Count).Distinct().Order().ToList();
        var assignments = counts.Select(n => ShardAssignment.Of(grid, modelLayers, n)).ToList();
        var keys = assignments[0].Keys;
        var missing = keys.Where(k => !found.ContainsKey(k))
            .Select(k => new MissingCell(k, assignments.Select(a => new SweepShard(a.OwnerOf(k), a.Count)).ToList())).ToList();
        if (missing.Count > 0) return new SweepMergeOutcome(null, missing, journals.Count);

        var baseline = found[SweepJournal.BaselineKey].Result;
        var cells = grid.Cells().Select(c => new SweepCellResult(c, found[c.Key].Result)).ToList();
        return new SweepMergeOutcome(new SweepResult(grid, split, baseline, cells), [], journals.Count);
    }

    static (SweepGrid Grid, SplitRole Split) Configuration(string file, JsonObject header)
    {
        try
        {
            var configuration = header["configuration"] ?? throw new InvalidOperationException("no configuration");
            var grid = new SweepGrid(
                configuration["layers"].Deserialize<List<int>>() ?? throw new InvalidOperationException("no layers"),
                configuration["targets"].Deserialize<List<string>>() ?? throw new InvalidOperationException("no targets"),
                configuration["rates"].Deserialize<List<decimal>>() ?? throw new InvalidOperationException("no rates"));
            var split = configuration["split"]?.GetValue<string>() switch
            {
                "validation" => SplitRole.Validation,
                "test" => SplitRole.Test,
                var other => throw new InvalidOperationException($"split '{other}' is neither validation nor test"),
            };
            return (grid, split);
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or FormatException)
        {
            throw new IclPruneException($"{file}: the header's configuration (layers, targets, rates, split) is unreadable: {e.Message}.");
        }
    }

    static (int Count, int ModelLayers) ShardRecord(string file, JsonObject header)
    {
        try
        {
            var shard = header["shard"] ?? throw new InvalidOperationException("it has none: is it a shard journal?");
            int count = shard["count"]?.GetValue<int>() ?? throw new InvalidOperationException("no count");
            int layers = shard["model_layers"]?.GetValue<int>() ?? throw new InvalidOperationException("no model_layers");
            if (count < 1 || layers < 1) throw new InvalidOperationException($"count {count} and model_layers {layers} must be positive");
            return (count, layers);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new IclPruneException($"{file}: the header's shard record (index, count, model_layers) is unreadable: {e.Message}.");
        }
    }

    /// <summary>What a cell measured, without what may differ between machines that measured the same (timings, device).</summary>
    static string Outcome(EvaluationResult r) => JsonSerializer.Serialize(
        r with { Timing = new Timing(0, 0, 0), Device = "", Backend = "", BatchSize = 0, UsedCache = true, Items = null }, SearchJson.Options);

    static string Describe(EvaluationResult r) =>
        $"accuracy {r.Accuracy.ToString("F4", CultureInfo.InvariantCulture)} ({string.Join(", ", r.PerSeed.Select(s => $"seed {s.Seed}: {s.Correct}/{s.N}"))})";

    static string Relative(string folder, string file) => Path.GetRelativePath(folder, file);

    [GeneratedRegex(@"^(\d+)-of-(\d+)\.jsonl$")]
    private static partial Regex ShardName();
}

/// <summary>A merged sweep (<see cref="Result"/>), or the cells still missing; <see cref="Journals"/> read.</summary>
public sealed record SweepMergeOutcome(SweepResult? Result, IReadOnlyList<MissingCell> Missing, int Journals);

/// <summary>A cell no journal holds yet, and the shard that computes it (one per shard count the journals were run with).</summary>
public sealed record MissingCell(string Key, IReadOnlyList<SweepShard> Owners)
{
    public override string ToString() => $"{Key} (shard {string.Join(" or ", Owners)})";
}
