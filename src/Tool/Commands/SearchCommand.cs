using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using IclPrune.Evaluation;
using IclPrune.Output;
using IclPrune.Pruning;
using IclPrune.Search;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Cli.Progress;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>`search`: the paper's Algorithm 1 (docs/method.md section 2) on a model and task.</summary>
public sealed class SearchCommand : Command
{
    readonly CliConsole _console;
    readonly ModelSelectionOptions _model = new();
    readonly TaskSelectionOptions _task = new();
    readonly PruningReuseOptions _reuse = new();

    static readonly Option<string> Module = new Option<string>("--module")
    {
        Description = "Module to prune in one layer: attn or mlp.",
        Required = true,
        HelpName = "attn|mlp",
    }.Checked(module => new SearchOptions(module.Trim().ToLowerInvariant(), 1, ConditionReduce.Max, null).Validate(int.MaxValue));
    static readonly Option<int?> TopK = new Option<int?>("--top-k")
    {
        Description = "Layers kept by condition number before taking the deepest (the paper does not say; default 3, or all layers of a smaller model).",
        HelpName = "K",
    }.Checked(k => { if (k < 1) throw new UsageException($"--top-k {k} is invalid: expected at least 1."); });
    static readonly Option<string> CondReduce = new("--cond-reduce") { Description = "Per-layer condition number from the module's matrices: max or mean.", DefaultValueFactory = _ => "max" };
    static readonly Option<string?> Rates = RatesOption.Create("Candidate clipping rates");
    static readonly Option<string?> Out = new("--out", "-o") { Description = "Write the search result JSON to this file.", HelpName = "FILE" };
    static readonly Option<bool> Json = new("--json") { Description = "Print the search result as JSON on stdout." };
    static readonly Option<bool> Racing = new("--racing")
    {
        Description = "Race the rates on growing validation subsets (1/8, 1/4, 1/2, all), dropping a rate once it is significantly " +
            "worse than the best (paired item-clustered test, Holm, alpha 0.05 over the looks); the default scores every rate on every item.",
    };

    public SearchCommand(CliConsole console) : base("search", "Algorithm 1: pick a layer by condition number and a clipping rate on validation; report test accuracy with McNemar's test.")
    {
        _console = console;
        _model.AddTo(this);
        _task.AddTo(this);
        _reuse.AddTo(this);
        foreach (var option in new Option[] { Module, TopK, CondReduce, Rates, Racing, Out, Json }) Options.Add(option);
        SetAction((parse, cancellation) => Task.FromResult(Execute(parse, cancellation)));
    }

    int Execute(ParseResult parse, CancellationToken cancellation)
    {
        var reduce = parse.GetValue(CondReduce)!.Trim().ToLowerInvariant() switch
        {
            "max" => ConditionReduce.Max,
            "mean" => ConditionReduce.Mean,
            var other => throw new UsageException($"--cond-reduce '{other}' is invalid; expected max or mean."),
        };
        var rates = RatesOption.Value(parse, Rates);
        string module = parse.GetValue(Module)!.Trim().ToLowerInvariant();
        int? topK = parse.GetValue(TopK);
        var racing = parse.GetValue(Racing) ? new RacingOptions() : null;
        new SearchOptions(module, topK ?? 1, reduce, rates, racing).Validate(int.MaxValue);   // usage errors before loading anything
        var data = _task.LoadData(parse);
        using var loaded = _model.Load(parse);
        int layers = loaded.Model.Description.NumLayers;
        var options = new SearchOptions(module, topK ?? SearchOptions.DefaultTopKFor(layers), reduce, rates, racing);
        OptionChecks.Naming(TopK.Name, () => { options.Validate(layers); return options; });   // k against the model's layers

        // Validation unpruned, each non-zero rate, test unpruned, test at xi* (skipped when xi* = 0: the count then
        // ends one short of the total, and the last report closes the bar). Racing: every rate at every stage at most.
        int rivals = options.Grid.Count(r => r != 0m) + 1;
        int total = (racing is null ? rivals : rivals * racing.Stages) + 2;
        int started = 0;
        ProgressStage? stage = null;
        var identity = new ModelIdentity(loaded.Id, loaded.Fingerprint);
        using var evaluator = new EvaluationSession(loaded.Model, loaded.Tokenizer, identity, data, _task.Options(parse, loaded.Model.Description),
            new SessionOptions { CacheSvd = _reuse.SvdCache(parse), ReuseLayerInputs = _reuse.LayerReuse(parse) })
        {
            Cancellation = cancellation,
            Starting = (specs, split) => stage?.Report(started++, total,
                $"evaluating {(specs.Count == 0 ? "unpruned" : string.Join(" ", specs))} on {split.Name()}"),
        };
        _console.Log($"condition numbers of {options.Module} in {evaluator.Layers} layers");
        var conditions = ModuleConditions.Compute(loaded.Model.NamedParameters, evaluator.Map, evaluator.Layers, options.Module);
        var result = _console.WithProgress(board =>
        {
            stage = board.Stage($"Algorithm 1 ({options.Module})", "evaluations");
            var subsets = racing is null ? null : new SubsetScoring(evaluator.ItemCount(SplitRole.Validation), evaluator.RunItems);
            var found = Algorithm1.Run(options, conditions, evaluator.Run, new ActionProgress<string>(_console.Log), cancellation, subsets);
            stage.Report(total, total, $"xi* = {found.BestRate.ToString(CultureInfo.InvariantCulture)}");
            return found;
        });

        _console.Log($"{evaluator.Evaluations} evaluations, {evaluator.Pruner.Cache.Decompositions} SVDs, " +
            $"layer-input reuse {evaluator.Reuse.Hits} hits / {evaluator.Reuse.Misses} misses");
        if (result.Racing is { } raced)
            _console.Log($"racing: {raced.ItemForwards} validation item-forwards instead of {raced.FullSearchItemForwards} (saved {raced.Saved:P1})");
        string json = JsonSerializer.Serialize(result, SearchJson.Indented);
        if (parse.GetValue(Out) is { } file)
        {
            AtomicFile.WriteAllText(file, json + "\n");
            _console.Log($"wrote {file}");
        }
        if (parse.GetValue(Json))
        {
            _console.Output.WriteLine(json);
            return ExitCodes.Success;
        }
        Print(result);
        return ExitCodes.Success;
    }

    void Print(SearchResult result)
    {
        string F(double x) => x.ToString("F4", CultureInfo.InvariantCulture);
        _console.Results.MarkupLineInterpolated(
            $"[bold]{result.Module}[/]: top-{result.TopK} layers by condition number ({result.ConditionReduce}): {string.Join(", ", result.TopLayers)}; chosen layer [bold]{result.ChosenLayer}[/]");
        var conditions = string.Join(", ", result.TopLayers.Select(l =>
            $"{l}: {result.Conditions.First(c => c.Layer == l).ConditionNumber.ToString("G4", CultureInfo.InvariantCulture)}"));
        _console.Results.WriteLine($"condition numbers of the top layers: {conditions}");
        var curve = new Table().Border(TableBorder.Simple).AddColumn("rate").AddColumn("spec").AddColumn("validation acc").AddColumn("correct");
        var dropped = result.Racing?.Dropped.ToDictionary(d => d.Rate) ?? [];
        foreach (var p in result.ValidationCurve)
            curve.AddRow(p.Rate.ToString(CultureInfo.InvariantCulture), Markup.Escape(p.Spec), F(p.Accuracy) + (p.Rate == result.BestRate ? " *" : ""),
                $"{p.Correct}/{p.N}" + (dropped.TryGetValue(p.Rate, out var d) ? $" (dropped at stage {d.Stage}, Holm p {d.HolmP.ToString("G3", CultureInfo.InvariantCulture)})" : ""));
        _console.Results.Write(curve);
        if (result.Racing is { } racing)
            _console.Results.WriteLine(
                $"racing ({racing.Stages} stages, alpha {racing.Alpha.ToString(CultureInfo.InvariantCulture)}, item order seed {racing.Seed}): " +
                $"{racing.ItemForwards} of {racing.FullSearchItemForwards} validation item-forwards, saved {racing.Saved.ToString("P1", CultureInfo.InvariantCulture)}");
        _console.Results.MarkupLineInterpolated($"xi* = {result.BestRate.ToString(CultureInfo.InvariantCulture)} ({result.BestSpec ?? "unpruned"})");
        var test = new Table().Border(TableBorder.Simple).AddColumn("seed").AddColumn("n").AddColumn("unpruned (95% CI)")
            .AddColumn("pruned (95% CI)").AddColumn("lost / gained").AddColumn("McNemar p");
        foreach (var s in result.Test.PerSeed)
            test.AddRow(s.Seed.ToString(), s.N.ToString(), Markup.Escape($"{F(s.BaselineAccuracy)} [{F(s.BaselineCi95.Low)}, {F(s.BaselineCi95.High)}]"),
                Markup.Escape($"{F(s.PrunedAccuracy)} [{F(s.PrunedCi95.Low)}, {F(s.PrunedCi95.High)}]"), $"{s.BaselineOnlyCorrect} / {s.PrunedOnlyCorrect}",
                s.McNemarP.ToString("G4", CultureInfo.InvariantCulture));
        _console.Results.Write(test);
        var paired = result.Test.Paired;
        _console.Results.WriteLine(
            $"test accuracy: unpruned {F(result.Test.BaselineAccuracy)} -> pruned {F(result.Test.PrunedAccuracy)}, delta {F(paired.Difference)} " +
            $"95% CI [{F(paired.Ci95.Low)}, {F(paired.Ci95.High)}], item-clustered sign-flip p (two-sided) = {paired.PTwoSided.ToString("G4", CultureInfo.InvariantCulture)} over {paired.Items} items");
    }
}
