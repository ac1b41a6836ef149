using System.Text.Json;
using System.Text.Json.Nodes;
using IclPrune.Evaluation;

namespace IclPrune.Search;

/// <summary>
/// Runs a sweep grid against an evaluator, journaling each finished cell so that an interrupted sweep resumes where
/// it stopped (see <see cref="SweepJournal"/>). The unpruned model is scored once, first; rate-0 cells reuse that
/// score, since xi = 0 leaves the weights bit-identical.
/// </summary>
public static class Sweep
{
    public static SweepResult Run(SweepGrid grid, SplitRole split, PrunedEvaluator evaluate, string folder, string fingerprint,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        grid.Validate();
        var configuration = new JsonObject
        {
            ["layers"] = JsonSerializer.SerializeToNode(grid.Layers),
            ["targets"] = JsonSerializer.SerializeToNode(grid.Targets),
            ["rates"] = JsonSerializer.SerializeToNode(grid.Rates),
            ["split"] = split.ToString().ToLowerInvariant(),
        };
        // The grid is part of the fingerprint: a journal only ever holds cells of one grid.
        string fullFingerprint = Fingerprint.Of(fingerprint + "\n" + configuration.ToJsonString());
        using var journal = SweepJournal.Open(folder, fullFingerprint, configuration);
        var done = new Dictionary<string, EvaluationResult>(journal.Finished);
        if (done.Count > 0) progress?.Report($"resuming: {done.Count} finished cells in {journal.Path}");

        if (!done.TryGetValue(SweepJournal.BaselineKey, out var baseline))
        {
            baseline = evaluate([], split);
            journal.Append(SweepJournal.BaselineKey, baseline);
            done[SweepJournal.BaselineKey] = baseline;
        }

        var cells = grid.Cells().ToList();
        var results = new List<SweepCellResult>();
        int index = 0;
        foreach (var cell in cells)
        {
            index++;
            if (!done.TryGetValue(cell.Key, out var result))
            {
                cancellation.ThrowIfCancellationRequested();
                result = cell.Rate == 0m ? baseline : evaluate([cell.Spec], split);
                journal.Append(cell.Key, result);
                done[cell.Key] = result;
                progress?.Report($"[{index}/{cells.Count}] {cell.Key}: accuracy {result.Accuracy:F4}");
            }
            results.Add(new SweepCellResult(cell, result));
        }
        return new SweepResult(grid, split, baseline, results);
    }
}

/// <summary>A finished cell.</summary>
public sealed record SweepCellResult(SweepCell Cell, EvaluationResult Result);

/// <summary>A finished sweep: the unpruned score and every cell in grid order.</summary>
public sealed record SweepResult(SweepGrid Grid, SplitRole Split, EvaluationResult Baseline, IReadOnlyList<SweepCellResult> Cells);
