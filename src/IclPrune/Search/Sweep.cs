using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IclPrune.Dynamics;
using IclPrune.Evaluation;

namespace IclPrune.Search;

/// <summary>
/// Runs a sweep grid against an evaluator, journaling each finished cell so that an interrupted sweep resumes where
/// it stopped (see <see cref="SweepJournal"/>). The unpruned model is scored once, first; rate-0 cells reuse that
/// score, since xi = 0 leaves the weights bit-identical. A shard (<see cref="RunShard"/>) computes only the cells
/// <see cref="ShardAssignment"/> gives it, into its own journal; <see cref="SweepMerge"/> puts the shards together.
/// </summary>
public static class Sweep
{
    /// <param name="dynamics">Also record each cell's implicit-update norms (sweep --icl-dynamics). Not part of the
    /// fingerprint: a sweep journaled without them resumes with them, measuring only the norms of its finished cells.</param>
    public static SweepResult Run(SweepGrid grid, SplitRole split, PrunedEvaluator evaluate, string folder, string fingerprint,
        IProgress<string>? progress = null, CancellationToken cancellation = default, PrunedDynamics? dynamics = null)
    {
        grid.Validate();
        var configuration = Configuration(grid, split);
        using var journal = SweepJournal.Open(folder, JournalFingerprint(fingerprint, configuration), configuration);
        var done = Resume(journal, progress);
        var norms = new Dictionary<string, IclDynamicsResult>(journal.FinishedDynamics);
        var baseline = Baseline(journal, done, evaluate, split);
        var baselineNorms = dynamics is null ? null : Norms(journal, norms, SweepJournal.BaselineKey, baseline, dynamics, []);

        var cells = grid.Cells().ToList();
        var results = new List<SweepCellResult>();
        int index = 0;
        foreach (var cell in cells)
        {
            index++;
            var result = Cell(journal, done, cell, baseline, evaluate, split, $"[{index}/{cells.Count}]", progress, cancellation);
            // xi = 0 leaves the weights bit-identical: the unpruned model's norms.
            var cellNorms = dynamics is null ? null
                : cell.Rate == 0m ? baselineNorms : Norms(journal, norms, cell.Key, result, dynamics, [cell.Spec]);
            results.Add(new SweepCellResult(cell, result, cellNorms));
        }
        return new SweepResult(grid, split, baseline, results, baselineNorms);
    }

    /// <summary>A cell's norms from the journal, or measured now and journaled with the cell's result.</summary>
    static IclDynamicsResult Norms(SweepJournal journal, Dictionary<string, IclDynamicsResult> norms, string key, EvaluationResult result,
        PrunedDynamics dynamics, IReadOnlyList<Pruning.PruneSpec> specs)
    {
        if (norms.TryGetValue(key, out var found)) return found;
        found = dynamics(specs);
        journal.Append(key, result, found);
        norms[key] = found;
        return found;
    }

    /// <summary>
    /// Computes the cells of one shard into FOLDER/shards/K-of-N.jsonl (resuming its own earlier cells). The shard that
    /// owns the unpruned model also owns the rate-0 cells, which reuse its score; no other shard scores it.
    /// </summary>
    public static ShardRun RunShard(SweepGrid grid, SplitRole split, PrunedEvaluator evaluate, string folder, string fingerprint,
        SweepShard shard, int modelLayers, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        grid.Validate();
        var configuration = Configuration(grid, split);
        var assignment = ShardAssignment.Of(grid, modelLayers, shard.Count);
        var mine = assignment.KeysOf(shard.Index).ToHashSet();
        var header = new JsonObject { ["index"] = shard.Index, ["count"] = shard.Count, ["model_layers"] = modelLayers };
        string path = shard.JournalPath(folder);
        using var journal = SweepJournal.OpenFile(path, JournalFingerprint(fingerprint, configuration), configuration, header);
        var done = Resume(journal, progress);
        EvaluationResult? baseline = mine.Contains(SweepJournal.BaselineKey) ? Baseline(journal, done, evaluate, split) : null;

        var cells = grid.Cells().Where(c => mine.Contains(c.Key)).ToList();
        int index = 0;
        foreach (var cell in cells)
        {
            index++;
            Cell(journal, done, cell, baseline, evaluate, split, $"[{index}/{cells.Count}]", progress, cancellation);
        }
        return new ShardRun(shard, path, mine.Count, assignment.Keys.Count);
    }

    /// <summary>The grid and split, as journal headers record them (and the merge reads them back).</summary>
    public static JsonObject Configuration(SweepGrid grid, SplitRole split) => new()
    {
        ["layers"] = JsonSerializer.SerializeToNode(grid.Layers),
        ["targets"] = JsonSerializer.SerializeToNode(grid.Targets),
        ["rates"] = JsonSerializer.SerializeToNode(grid.Rates),
        ["split"] = split.Name(),
    };

    /// <summary>
    /// The grid is part of the fingerprint: a journal only ever holds cells of one grid. The shard is not: every shard
    /// of a sweep, and the whole sweep, share one fingerprint, so their cells can be merged.
    /// </summary>
    static string JournalFingerprint(string evaluation, JsonObject configuration) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(evaluation + "\n" + configuration.ToJsonString())))[..16]
            .ToLowerInvariant();

    static Dictionary<string, EvaluationResult> Resume(SweepJournal journal, IProgress<string>? progress)
    {
        var done = new Dictionary<string, EvaluationResult>(journal.Finished);
        if (journal.TookOverLockFrom is { } stale) progress?.Report($"took over the stale lock of {journal.Path} from {stale}");
        if (done.Count > 0) progress?.Report($"resuming: {done.Count} finished cells in {journal.Path}");
        return done;
    }

    static EvaluationResult Baseline(SweepJournal journal, Dictionary<string, EvaluationResult> done, PrunedEvaluator evaluate, SplitRole split)
    {
        if (done.TryGetValue(SweepJournal.BaselineKey, out var baseline)) return baseline;
        baseline = evaluate([], split);
        journal.Append(SweepJournal.BaselineKey, baseline);
        done[SweepJournal.BaselineKey] = baseline;
        return baseline;
    }

    static EvaluationResult Cell(SweepJournal journal, Dictionary<string, EvaluationResult> done, SweepCell cell, EvaluationResult? baseline,
        PrunedEvaluator evaluate, SplitRole split, string counter, IProgress<string>? progress, CancellationToken cancellation)
    {
        if (done.TryGetValue(cell.Key, out var result)) return result;
        cancellation.ThrowIfCancellationRequested();
        result = cell.Rate == 0m
            ? baseline ?? throw new InvalidOperationException($"{cell.Key} reuses the unpruned score, which this shard does not own.")
            : evaluate([cell.Spec], split);
        journal.Append(cell.Key, result);
        done[cell.Key] = result;
        progress?.Report($"{counter} {cell.Key}: accuracy {result.Accuracy:F4}");
        return result;
    }
}

/// <summary>A finished cell; Dynamics: its implicit-update norms when the sweep recorded them.</summary>
public sealed record SweepCellResult(SweepCell Cell, EvaluationResult Result, IclDynamicsResult? Dynamics = null);

/// <summary>A finished sweep: the unpruned score and every cell in grid order (and their norms with --icl-dynamics).</summary>
public sealed record SweepResult(SweepGrid Grid, SplitRole Split, EvaluationResult Baseline, IReadOnlyList<SweepCellResult> Cells,
    IclDynamicsResult? BaselineDynamics = null);

/// <summary>A shard that finished its cells: <see cref="Owned"/> of the sweep's <see cref="Total"/> (unpruned model included).</summary>
public sealed record ShardRun(SweepShard Shard, string JournalPath, int Owned, int Total);
