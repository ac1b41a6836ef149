using System.CommandLine;
using IclPrune.Reports;
using IclPrune.Search;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `sweep merge DIR`: the results of a sharded sweep (DIR/shards/K-of-N.jsonl) in DIR, as the unsharded sweep writes
/// them. Exit 1 listing the missing cells and their shards while any are missing.
/// </summary>
public sealed class SweepMergeCommand : Command
{
    readonly CliConsole _console;

    static readonly Argument<string> Folder = new("DIR") { Description = "The --out folder the shards of `sweep --shard K/N` wrote to." };

    public SweepMergeCommand(CliConsole console)
        : base("merge", "Merge the shard journals of a sharded sweep into results.json/csv/md and heatmaps (docs/scale-out.md).")
    {
        _console = console;
        Arguments.Add(Folder);
        SetAction(parse => WriteResults(_console, parse.GetValue(Folder)!, lastShard: false));
    }

    /// <summary>
    /// Merges and writes the results under the results lock. For a shard that just finished (<paramref name="lastShard"/>),
    /// missing cells are the other shards' work in progress (exit 0). Such a shard waits for a merge running elsewhere
    /// instead of skipping its own: that merge may have read this shard's journal before its last cell, and then only
    /// this shard's merge sees every cell (two shards finishing together once left no results).
    /// </summary>
    internal static int WriteResults(CliConsole console, string folder, bool lastShard)
    {
        JournalLock resultsLock;
        string guarded = Path.Combine(folder, SweepMerge.ResultsLockName);
        try
        {
            resultsLock = lastShard
                ? JournalLock.AcquireWaiting(guarded, "sweep results", TimeSpan.FromMinutes(2))
                : JournalLock.Acquire(guarded, "sweep results");
        }
        catch (IclPruneException e) when (lastShard)
        {
            console.Progress.WriteLine($"results not written by this shard: {e.Message}");
            return ExitCodes.Success;
        }
        using (resultsLock)
        {
            var outcome = SweepMerge.Merge(folder);
            if (outcome.Result is null)
            {
                var shards = outcome.Missing.SelectMany(m => m.Owners).Distinct().Select(s => s.ToString()).Order();
                if (lastShard)
                {
                    console.Progress.WriteLine($"{outcome.Missing.Count} cells of shard(s) {string.Join(", ", shards)} are not done yet; " +
                        $"the last shard to finish, or `sweep merge {folder}`, writes the results.");
                    return ExitCodes.Success;
                }
                console.Progress.WriteLine($"error: {outcome.Missing.Count} cells are missing from the {outcome.Journals} shard journal(s) in " +
                    $"{Path.Combine(folder, SweepShard.Folder)}; run (or rerun, same index) shard(s) {string.Join(", ", shards)}:");
                foreach (var missing in outcome.Missing) console.Progress.WriteLine($"  {missing}");
                return ExitCodes.Failure;
            }
            var summary = SweepSummary.Of(outcome.Result);
            var files = SweepReport.Write(summary, folder);
            console.Output.Write(SweepReport.Markdown(summary));
            console.Progress.WriteLine($"merged {outcome.Journals} shard journal(s); wrote {string.Join(", ", files.Select(Path.GetFileName))} in {folder}");
            return ExitCodes.Success;
        }
    }
}
