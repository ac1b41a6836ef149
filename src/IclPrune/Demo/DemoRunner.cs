using System.Diagnostics;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Comparison;
using IclPrune.Evaluation.Tasks;
using IclPrune.Models;
using IclPrune.Pruning;
using IclPrune.Search;

namespace IclPrune.Demo;

/// <summary>
/// The whole product end to end on one model (issue "embedded default"): in-context learning as a function of the
/// number of demonstrations, the condition numbers that Algorithm 1 ranks layers by, a resumable layer x rate sweep
/// and Algorithm 1's pick for each module. Every number comes from the same engine the other commands use.
/// </summary>
public static class DemoRunner
{
    public const string ShotsStage = "accuracy vs shots";
    public const string SpectraStage = "condition numbers";
    public const string SweepStage = "layer x rate sweep";
    public const string SearchStage = "Algorithm 1";

    public static DemoResult Run(LoadedModel loaded, DemoOptions options, IProgress<DemoProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var identity = new ModelIdentity(loaded.Id, loaded.Fingerprint);
        var shots = ShotsCurve(loaded, options, progress, cancellation);

        var description = loaded.Model.Description;
        var map = PruneTargetMaps.For(description, loaded.Model.NamedParameters.Keys);
        var spectra = SpectraAnalysis.Analyze(loaded.Model.NamedParameters, map, description.NumLayers, options.Rates,
            cancellation: cancellation);
        progress?.Report(new DemoProgress(SpectraStage, 1, 1, $"{spectra.Matrices.Count} matrices"));

        var data = TaskDataset.Load(TaskCatalog.Get(options.PruningTask), null);
        var evaluationOptions = new EvaluationOptions { Seeds = options.Seeds, BatchSize = options.BatchSize };
        using var session = new EvaluationSession(loaded, data, evaluationOptions, new SessionOptions { ReuseLayerInputs = true })
        {
            Cancellation = cancellation,
        };
        // Algorithm 1 scores test cells the sweep already scored (same model, task, seeds): remember every result.
        var remembered = new Dictionary<string, EvaluationResult>();
        PrunedEvaluator evaluate = (specs, split) =>
        {
            string key = split + "|" + string.Join(" ", specs);
            if (!remembered.TryGetValue(key, out var result)) remembered[key] = result = session.Run(specs, split);
            return result;
        };
        var sweepResult = RunSweep(loaded, options, data, evaluationOptions, evaluate, progress, cancellation);
        var searches = RunSearches(loaded, options, session.Map, evaluate, progress, cancellation);

        // Every cell against the unpruned model, paired by item over the same seeds (the gate's test), and the power
        // of that test for a change of PowerShift on this baseline: what "no significant change" can and cannot mean.
        var cellTests = sweepResult.Cells.Select(c => new SweepCellTest(c.Cell.Layer, c.Cell.Target, c.Cell.Rate,
            AccuracyComparison.Compare(sweepResult.Baseline, c.Result, "unpruned", c.Cell.Key))).ToList();
        var baselineScores = ItemScores.Of(sweepResult.Baseline, "unpruned");
        var power = baselineScores.Accuracy >= 1.0
            ? []
            : new[] { 0.0, 0.05 }.Select(churn => PairedPower.Simulate(baselineScores, options.PowerShift, churn)).ToList();

        return new DemoResult(identity, description.Device, ModelLoadOptions.DTypeName(description.DType), options.Seeds,
            shots, spectra, options.PruningTask, SweepSummary.Of(sweepResult), searches, clock.Elapsed.TotalSeconds,
            power, cellTests, DemoDynamics.Measure(loaded, session, data, options.Seeds, sweepResult, cancellation));
    }

    static List<ShotsPoint> ShotsCurve(LoadedModel loaded, DemoOptions options, IProgress<DemoProgress>? progress,
        CancellationToken cancellation)
    {
        var plan = options.Tasks.Select(id => TaskDataset.Load(TaskCatalog.Get(id), null))
            .SelectMany(data => DemoOptions.ShotsCurve(data.Task.Demonstrations.Shots).Select(shots => (data, shots)))
            .ToList();
        var points = new List<ShotsPoint>();
        foreach (var (data, shots) in plan)
        {
            cancellation.ThrowIfCancellationRequested();
            using var session = new EvaluationSession(loaded, data,
                new EvaluationOptions { Shots = shots, Seeds = options.Seeds, BatchSize = options.BatchSize }) { Cancellation = cancellation };
            var result = session.Run([]);
            points.Add(new ShotsPoint(data.Task.Id, shots, data.Task.Demonstrations.Shots, 1.0 / data.Task.Classes.Count, result.Accuracy,
                result.AccuracyStd, AccuracySummary.Of(result).PerSeed));
            progress?.Report(new DemoProgress(ShotsStage, points.Count, plan.Count,
                $"{data.Task.Id} {shots}-shot: {result.Accuracy:F3}"));
        }
        return points;
    }

    static SweepResult RunSweep(LoadedModel loaded, DemoOptions options, TaskDataset data, EvaluationOptions evaluationOptions,
        PrunedEvaluator evaluate, IProgress<DemoProgress>? progress, CancellationToken cancellation)
    {
        var grid = new SweepGrid(Enumerable.Range(0, loaded.Model.Description.NumLayers).ToList(), ["attn", "mlp"], options.Rates);
        int total = grid.Cells().Count();
        int done = 0;
        var result = Sweep.Run(grid, SplitRole.Test, evaluate, Path.Combine(options.OutFolder, "sweep"),
            SweepFingerprint.Of(loaded, data, evaluationOptions),
            new ActionProgress<string>(line =>
            {
                // Only cell lines carry "[i/n] "; a "resuming: ..." line is news, not a finished cell.
                var cell = SweepProgressLine.TryParse(line);
                if (cell is not null) done++;
                progress?.Report(new DemoProgress(SweepStage, Math.Min(done, total), total, cell?.Detail ?? line));
            }),
            cancellation);
        progress?.Report(new DemoProgress(SweepStage, total, total, $"{result.Cells.Count} cells"));
        return result;
    }

    static List<SearchResult> RunSearches(LoadedModel loaded, DemoOptions options, IPruneTargetMap map, PrunedEvaluator evaluate,
        IProgress<DemoProgress>? progress, CancellationToken cancellation)
    {
        int layers = loaded.Model.Description.NumLayers;
        var searches = new List<SearchResult>();
        foreach (string module in ModuleConditions.Modules)
        {
            var searchOptions = new SearchOptions(module, SearchOptions.DefaultTopKFor(layers), ConditionReduce.Max, options.Rates);
            var conditions = ModuleConditions.Compute(loaded.Model.NamedParameters, map, layers, module);
            var result = Algorithm1.Run(searchOptions, conditions, evaluate, cancellation: cancellation);
            searches.Add(result);
            progress?.Report(new DemoProgress(SearchStage, searches.Count, ModuleConditions.Modules.Count,
                $"{module}: layer {result.ChosenLayer}, xi* {result.BestRate}"));
        }
        return searches;
    }
}
