using System.CommandLine;
using System.Globalization;
using IclPrune.Evaluation;
using IclPrune.Models;
using IclPrune.Pruning;
using IclPrune.Reports;
using IclPrune.Reports.Html;
using IclPrune.Search;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `sweep`: accuracy over layers x targets x rates, journaled and resumable, with tables and heatmaps; or one shard of
/// it (`--shard K/N`, or the scheduler's array index), merged by `sweep merge` (docs/scale-out.md).
/// </summary>
public sealed class SweepCommand : Command
{
    readonly CliConsole _console;
    readonly ModelSelectionOptions _model = new();
    readonly TaskSelectionOptions _task = new();
    readonly PruningReuseOptions _reuse = new();

    static readonly Option<string> Layers = new("--layers")
    {
        Description = "Layers, comma-separated: indices, ranges (0-3), negatives from the end, or all.",
        DefaultValueFactory = _ => "all",
    };
    static readonly Option<string[]> Targets = new("--target")
    {
        Description = "Target or group per heatmap (attn, mlp, q, fc_in, or a list like q,v). Repeatable; default: attn and mlp.",
        HelpName = "TARGETS",
    };
    static readonly Option<string?> Rates = RatesOption.Create("Clipping rates of the grid");
    static readonly Option<string> Split = SplitOption.Create(SplitRole.Validation);
    static readonly Option<string> Out = new("--out", "-o")
    {
        Description = "Output folder: journal.jsonl (resume by rerunning), results.json/csv/md, heatmap-TARGET.png.",
        Required = true,
        HelpName = "DIR",
    };
    static readonly Option<string?> Shard = new("--shard")
    {
        Description = "Compute only shard K of N (journal DIR/shards/K-of-N.jsonl; the last shard to finish, or `sweep merge DIR`, " +
            "writes the results), or none. Default: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX when set (docs/scale-out.md).",
        HelpName = "K/N",
    };
    static readonly Option<int?> ShardCount = new("--shard-count")
    {
        Description = $"The shard count for a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (its completions); also read from {SchedulerShard.CountVariable}.",
        HelpName = "N",
    };

    static readonly Option<bool> IclDynamicsOption = new("--icl-dynamics")
    {
        Description = "Also record each cell's implicit-gradient norms (||dW_t||, ||G_t|| per layer; docs/icl-dynamics.md) in the journal " +
            "and results.json, with their rank correlation to the accuracy change. GPT-2 models; not with --shard.",
    };

    public SweepCommand(CliConsole console) : base("sweep", "Evaluate every layer x target x rate; resumable (journal), with results tables and heatmaps.")
    {
        _console = console;
        _model.AddTo(this);
        _task.AddTo(this);
        _reuse.AddTo(this);
        foreach (var option in new Option[] { Layers, Targets, Rates, Split, Out, Shard, ShardCount, IclDynamicsOption }) Options.Add(option);
        Subcommands.Add(new SweepMergeCommand(console));
        SetAction((parse, cancellation) => Task.FromResult(Execute(parse, cancellation)));
    }

    int Execute(ParseResult parse, CancellationToken cancellation)
    {
        var split = SplitOption.Value(parse, Split);
        var targets = parse.GetValue(Targets) is { Length: > 0 } t ? t.Select(x => x.Trim().ToLowerInvariant()).ToList() : ["attn", "mlp"];
        var rates = RatesOption.Value(parse, Rates);
        var layerSelections = parse.GetValue(Layers)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(LayerSelection.Parse).ToList();
        new SweepGrid([0], targets, rates).Validate();   // usage errors before loading anything
        var (shard, shardSource) = SchedulerShard.Resolve(parse.GetValue(Shard), parse.GetValue(ShardCount), Environment.GetEnvironmentVariable);
        bool dynamics = parse.GetValue(IclDynamicsOption);
        if (dynamics && shard is not null)
            throw new UsageException($"--icl-dynamics records norms in a whole sweep's journal; shard {shard} ({shardSource}) cannot: run without --shard.");
        var data = _task.LoadData(parse);
        using var loaded = _model.Load(parse);
        var evaluationOptions = _task.Options(parse, loaded.Model.Description);
        int layerCount = loaded.Model.Description.NumLayers;
        var layers = layerSelections.SelectMany(s => s.Resolve(layerCount)).Distinct().Order().ToList();
        var grid = new SweepGrid(layers, targets, rates);

        var identity = new ModelIdentity(loaded.Id, loaded.Fingerprint);
        using var evaluator = new EvaluationSession(loaded.Model, loaded.Tokenizer, identity, data, evaluationOptions,
            new SessionOptions { CacheSvd = _reuse.SvdCache(parse), ReuseLayerInputs = _reuse.LayerReuse(parse) })
        {
            Cancellation = cancellation,
        };
        string fingerprint = SweepFingerprint.Of(loaded, data, evaluationOptions);
        string folder = parse.GetValue(Out)!;
        if (shard is not null)
        {
            _console.Log($"shard {shard} ({shardSource})");
            var run = _console.WithProgress(board =>
            {
                var cells = board.Stage($"shard {shard}", "cells");
                return Sweep.RunShard(grid, split, evaluator.Run, folder, fingerprint, shard, layerCount, new ActionProgress<string>(line =>
                {
                    if (SweepProgressLine.TryParse(line) is { } cell) cells.Report(cell.Done, cell.Total, cell.Detail);
                    else _console.Log(line);
                }), cancellation);
            });
            _console.Log($"shard {shard}: its {run.Owned} of {run.Total} cells are in {run.JournalPath} ({evaluator.Evaluations} evaluations)");
            return SweepMergeCommand.WriteResults(_console, folder, lastShard: true);
        }
        var result = _console.WithProgress(board =>
        {
            var cells = board.Stage("sweep", "cells");
            return Sweep.Run(grid, split, evaluator.Run, folder, fingerprint, new ActionProgress<string>(line =>
            {
                if (SweepProgressLine.TryParse(line) is { } cell) cells.Report(cell.Done, cell.Total, cell.Detail);
                else _console.Log(line);
            }), cancellation, dynamics ? SweepDynamics.For(loaded, evaluator, data, evaluationOptions.Seeds) : null);
        });
        _console.Log($"{evaluator.Evaluations} evaluations, {evaluator.Pruner.Cache.Decompositions} SVDs, " +
            $"layer-input reuse {evaluator.Reuse.Hits} hits / {evaluator.Reuse.Misses} misses");
        if (SweepCost.Of(evaluator.RunSeconds) is { } cost) _console.Log(cost.ToString());
        var summary = SweepSummary.Of(result);
        var files = SweepReport.Write(summary, folder).Append(HtmlReport.Write([folder], Path.Combine(folder, HtmlReport.FileName))).ToList();
        // Markdown is for the files; a terminal (or a log) gets the same numbers as tables.
        foreach (var part in SweepTables.Of(summary)) _console.Results.Write(part);
        if (summary.Dynamics is { } norms)
            _console.Results.WriteLine(
                $"implicit-update norms of {norms.Cells.Count} cells in results.json; Spearman's rho across cells of the accuracy change with the change in " +
                $"sum ||dW_t||: {SweepDynamicsSummary.RhoText(norms.SpearmanDeltaW)}, in the last layer's ||G||: {SweepDynamicsSummary.RhoText(norms.SpearmanLastG)}");
        _console.Log($"wrote {string.Join(", ", files.Select(Path.GetFileName))} in {folder}");
        return ExitCodes.Success;
    }
}
