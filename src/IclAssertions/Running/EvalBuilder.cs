using IclAssertions.Models;
using IclPrune;
using IclPrune.Evaluation;
using IclPrune.Models;
using IclPrune.Pruning;

namespace IclAssertions.Running;

/// <summary>
/// An evaluation to run: model, task, data, split, shots, seeds, prune specs, device, dtype. Immutable: each call
/// returns a new builder, so a suite can keep a half-built one in a field and branch from it per test.
/// RunAsync takes the shared model from <see cref="ModelCache"/> (loaded once per process, held exclusively while
/// it runs), scores the task through the engine's front door (<see cref="EvaluationSession"/>, as `dotnet icl-prune eval`
/// does), pruning inside a scope that restores the original weights when the evaluation ends, checked by a digest
/// of every parameter. Device, dtype and the model a name stands for can also come from the run
/// (<see cref="RunSwitches"/>); what the test sets itself wins, and the result (so the snapshot) records what actually ran.
/// </summary>
public sealed record EvalBuilder
{
    internal EvalBuilder(string model) => ModelId = model;

    public string ModelId { get; }
    public string? TaskId { get; init; }
    public string? DataSpec { get; init; }
    public SplitRole Split { get; init; } = SplitRole.Test;
    public int? ShotCount { get; init; }
    public IReadOnlyList<int> SeedList { get; init; } = [0];
    public IReadOnlyList<string> PruneSpecs { get; init; } = [];
    public int? ItemLimit { get; init; }
    public int BatchSize { get; init; } = 8;
    /// <summary>The device the test asked for; null: the run's choice (<see cref="RunSwitches.Device"/>), else cpu.</summary>
    public string? DeviceName { get; init; }

    /// <summary>The dtype the test asked for; null: the run's choice (<see cref="RunSwitches.DType"/>), else fp32.</summary>
    public string? DTypeName { get; init; }

    /// <param name="idOrPath">A built-in task id (`dotnet icl-prune tasks`) or a task YAML file.</param>
    public EvalBuilder Task(string idOrPath) => this with { TaskId = idOrPath };

    /// <summary>Data for tasks without bundled data: a folder or `train=PATH,test=PATH` (as `eval --data`).</summary>
    public EvalBuilder Data(string spec) => this with { DataSpec = spec };

    public EvalBuilder OnSplit(SplitRole split) => this with { Split = split };

    /// <param name="split">"validation" or "test"; anything else fails here, before a model is loaded.</param>
    public EvalBuilder OnSplit(string split) => OnSplit(SplitRoles.Parse(split));
    public EvalBuilder Shots(int shots) => this with { ShotCount = shots };
    public EvalBuilder Seeds(params int[] seeds) => this with { SeedList = seeds };

    /// <summary>Prune specs in the grammar of `eval --prune` (e.g. "mlp@-1:0.9"); applied in order.</summary>
    public EvalBuilder Prune(params string[] specs)
    {
        foreach (string spec in specs) PruneSpec.Parse(spec); // a typo fails here, before a model is loaded
        return this with { PruneSpecs = [.. PruneSpecs, .. specs] };
    }

    /// <summary>Score only the first N items of the split: keeps suites fast on CPU.</summary>
    public EvalBuilder Limit(int items) => this with { ItemLimit = items };

    public EvalBuilder Batch(int size) => this with { BatchSize = size };
    public EvalBuilder OnDevice(string device) => this with { DeviceName = device };
    public EvalBuilder WithDType(string dtype) => this with { DTypeName = dtype };

    public async Task<EvaluationResult> RunAsync(CancellationToken cancellation = default)
    {
        if (TaskId is null) throw new InvalidOperationException($"No task: call .Task(\"...\") before RunAsync (model {ModelId}).");
        var load = new ModelLoadOptions
        {
            Device = Chosen(DeviceName, RunSwitches.Device, ModelLoadOptions.ParseDevice, "cpu"),
            DType = Chosen(DTypeName, RunSwitches.DType, ModelLoadOptions.ParseDType, "fp32"),
        };
        string modelId = ModelResolver.Alias(ModelId);
        var data = TaskDatasets.Get(TaskId, DataSpec);
        var options = new EvaluationOptions { Split = Split, Shots = ShotCount, Seeds = SeedList, Limit = ItemLimit, BatchSize = BatchSize };

        using var lease = await ModelCache.AcquireAsync(modelId, load, cancellation);
        return await System.Threading.Tasks.Task.Run(() =>
        {
            var loaded = lease.Model;
            // The cached model and its pruner (with its SVDs) serve every later test of the process: the session
            // restores the weights after the run and proves by a parameter digest that the restore was bit-exact.
            using var session = new EvaluationSession(loaded.Model, loaded.Tokenizer, new ModelIdentity(modelId, loaded.Fingerprint),
                data, options, new SessionOptions { SharedPruner = lease.Pruner })
            {
                Cancellation = cancellation,
            };
            return session.Run(PruneSpecs.Select(PruneSpec.Parse).ToList());
        }, cancellation);
    }

    /// <summary>The test's own value, else the run's, else the default; a bad value from the run names its source.</summary>
    static T Chosen<T>(string? fromTest, RunSwitch? fromRun, Func<string, T> parse, string fallback)
    {
        if (fromTest is not null) return parse(fromTest);
        if (fromRun is null) return parse(fallback);
        try
        {
            return parse(fromRun.Value);
        }
        catch (UsageException e)
        {
            throw new UsageException($"{e.Message} (set by {fromRun.Source})");
        }
    }
}
