using System.CommandLine;
using System.Globalization;
using IclPrune.Evaluation;
using IclPrune.Pruning;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>`eval`: ICL accuracy of a model (optionally pruned) on a task, per demonstration seed (docs/evaluation.md).</summary>
public sealed class EvalCommand : Command
{
    readonly CliConsole _console;
    readonly ModelSelectionOptions _model = new();
    readonly PruneSpecOptions _prune = new();

    readonly TaskSelectionOptions _task = new();
    static readonly Option<string> Split = SplitOption.Create(SplitRole.Test);
    static readonly Option<string?> Out = new("--out", "-o") { Description = "Write the results JSON here (docs/results-schema.md).", HelpName = "FILE" };
    static readonly Option<bool> Json = new("--json") { Description = "Print the results JSON to stdout instead of the summary table." };

    public EvalCommand(CliConsole console) : base("eval", "Measure in-context-learning accuracy of a (pruned) model on a task, per demonstration seed.")
    {
        _console = console;
        _model.AddTo(this);
        _prune.AddTo(this);
        _task.AddTo(this);
        foreach (var option in new Option[] { Split, Out, Json }) Options.Add(option);
        SetAction((parse, cancellation) => Task.FromResult(Execute(parse, cancellation)));
    }

    int Execute(ParseResult parse, CancellationToken cancellation)
    {
        // Everything that can be wrong on the command line is checked before the (slow) model load.
        var specs = _prune.Specs(parse);
        var split = SplitOption.Value(parse, Split);
        var data = _task.LoadData(parse);
        var task = data.Task;

        using var loaded = _model.Load(parse);
        var options = _task.Options(parse, loaded.Model.Description) with { Split = split, Warning = _console.Warn };
        // The process ends after this evaluation: prune for good, no copy of the original weights.
        using var session = new EvaluationSession(loaded, data, options, new SessionOptions { RestoreWeights = false, CacheSvd = false })
        {
            Cancellation = cancellation,
        };
        var plan = session.Resolve(specs);   // an invalid spec fails before the prompts are tokenized
        var prepared = session.Prepared(split);
        string title = $"{task.Id}/{split.Name()}";
        var result = _console.WithProgress(board =>
        {
            var stage = board.Stage(title, "items");
            return session.Run(specs, new ActionProgress<EvaluationProgress>(p => stage.Report(p.ItemsDone, p.ItemsTotal)));
        });

        if (parse.GetValue(Out) is { } outPath)
        {
            EvaluationResultJson.WriteAtomic(outPath, result);
            _console.Log($"results written to {Path.GetFullPath(outPath)}");
        }
        if (parse.GetValue(Json)) _console.Output.WriteLine(EvaluationResultJson.Serialize(result));
        else WriteSummary(result, plan.ToString(), prepared.MajorityBaseline, options.TokensPerBatch);
        return ExitCodes.Success;
    }

    void WriteSummary(EvaluationResult result, string pruning, double majority, int? tokensPerBatch)
    {
        var header = new Grid().AddColumn().AddColumn();
        void Row(string key, string value) => header.AddRow(Markup.Escape(key), Markup.Escape(value));
        Row("model", $"{result.Model.Id} ({result.Device}, {result.DType})");
        Row("task", $"{result.Task.Id}, {result.Task.Split} split, {result.Shots} shots");
        Row("pruning", pruning);
        _console.Results.Write(header);

        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("seed").AddColumn(new TableColumn("n").RightAligned()).AddColumn(new TableColumn("correct").RightAligned())
            .AddColumn(new TableColumn("accuracy").RightAligned()).AddColumn(new TableColumn("95% CI (Wilson)").RightAligned());
        foreach (var s in result.PerSeed)
            table.AddRow(s.Seed.ToString(CultureInfo.InvariantCulture), s.N.ToString(CultureInfo.InvariantCulture),
                s.Correct.ToString(CultureInfo.InvariantCulture), s.Accuracy.ToString("F4", CultureInfo.InvariantCulture),
                $"[[{s.Ci95.Low.ToString("F4", CultureInfo.InvariantCulture)}, {s.Ci95.High.ToString("F4", CultureInfo.InvariantCulture)}]]");
        _console.Results.Write(table);
        string std = result.PerSeed.Count > 1 ? $" ± {result.AccuracyStd.ToString("F4", CultureInfo.InvariantCulture)} (sample std over {result.PerSeed.Count} seeds)" : "";
        _console.Results.MarkupLine($"accuracy [bold]{result.Accuracy.ToString("F4", CultureInfo.InvariantCulture)}[/]{std}");
        _console.Results.MarkupLine($"majority-class baseline {majority.ToString("F4", CultureInfo.InvariantCulture)}");
        _console.Results.MarkupLine(Markup.Escape(
            $"{result.Timing.Seconds:F1} s, {result.Timing.Tokens:N0} tokens ({result.Timing.TokensPerSecond:F0} tokens/s), " +
            $"prefix cache {(result.UsedCache ? "on" : "off")}, " +
            (tokensPerBatch is { } budget ? $"batch auto (up to {result.BatchSize} items, {budget:N0} padded tokens per forward)" : $"batch {result.BatchSize}") +
            (result.TruncatedPrompts > 0 ? $", {result.TruncatedPrompts} prompts shortened to fit the context" : "")));
    }
}
