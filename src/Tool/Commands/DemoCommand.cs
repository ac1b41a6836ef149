using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using IclPrune.Demo;
using IclPrune.Reports;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `demo`: the whole product on the bundled tiny model (or any --model): accuracy vs shots, condition numbers, a
/// layer x rate sweep and Algorithm 1's pick, with progress bars, then a report folder with tables and plots.
/// </summary>
public sealed class DemoCommand : Command
{
    readonly CliConsole _console;
    readonly ModelSelectionOptions _model = new();

    static readonly Option<string> Out = new("--out", "-o")
    {
        Description = "Report folder (report.md, results.json, PNG plots; the sweep journal makes a rerun resume).",
        DefaultValueFactory = _ => "icl-prune-report",
        HelpName = "DIR",
    };

    static readonly Option<string> Seeds = SeedList.Option(DemoOptions.DefaultSeeds);

    public DemoCommand(CliConsole console) : base("demo", "Run the whole product end to end on the bundled tiny model and write a report folder.")
    {
        _console = console;
        _model.Model.DefaultValueFactory = _ => "tiny";
        _model.Model.Required = false;
        _model.AddTo(this);
        Options.Add(Out);
        Options.Add(Seeds);
        SetAction((parse, cancellation) => Task.FromResult(Execute(parse, cancellation)));
    }

    int Execute(ParseResult parse, CancellationToken cancellation)
    {
        var options = new DemoOptions
        {
            Model = parse.GetValue(_model.Model)!,
            OutFolder = Path.GetFullPath(parse.GetValue(Out)!),
            Seeds = SeedList.Parse(parse.GetValue(Seeds)!),
        };
        var clock = Stopwatch.StartNew();
        using var loaded = _model.Load(parse);
        _console.Log(
            $"demo on {loaded.Id} ({loaded.Model.Description.ModelType}, {loaded.Model.Description.NumLayers} layers, {loaded.Model.Description.ParameterCount:N0} parameters)");

        var result = RunWithProgress(loaded, options, cancellation);
        var files = DemoReport.Write(result, options.OutFolder);

        PrintSummary(result);
        _console.Results.MarkupLineInterpolated(
            $"report: [bold]{Path.Combine(options.OutFolder, DemoReport.Markdown)}[/] and [bold]{Path.Combine(options.OutFolder, Reports.Html.HtmlReport.FileName)}[/] ({files.Count} files, {clock.Elapsed.TotalSeconds:F0} s)");
        return ExitCodes.Success;
    }

    DemoResult RunWithProgress(Models.LoadedModel loaded, DemoOptions options, CancellationToken cancellation) =>
        _console.WithProgress(board =>
        {
            // Created up front so that the bars stand in the order the demo runs them.
            var stages = new Dictionary<string, Cli.Progress.ProgressStage>
            {
                [DemoRunner.ShotsStage] = board.Stage(DemoRunner.ShotsStage, "evaluations"),
                [DemoRunner.SpectraStage] = board.Stage(DemoRunner.SpectraStage, "analyses"),
                [DemoRunner.SweepStage] = board.Stage(DemoRunner.SweepStage, "cells"),
                [DemoRunner.SearchStage] = board.Stage(DemoRunner.SearchStage, "modules"),
            };
            return DemoRunner.Run(loaded, options,
                new ActionProgress<DemoProgress>(p => stages[p.Stage].Report(p.Done, p.Total, p.Detail)), cancellation);
        });

    void PrintSummary(DemoResult result)
    {
        string F(double x) => x.ToString("F3", CultureInfo.InvariantCulture);
        var shots = result.ShotsCurve.Select(p => p.Shots).Distinct().Order().ToList();
        var curve = new Table().Border(TableBorder.Simple).Title("ICL accuracy vs shots (test, mean over seeds)").AddColumn("task").AddColumn("chance");
        foreach (int s in shots) curve.AddColumn($"{s}-shot");
        foreach (var task in result.ShotsCurve.GroupBy(p => p.Task))
            curve.AddRow([task.Key, F(task.First().Chance), .. shots.Select(s => task.FirstOrDefault(p => p.Shots == s) is { } p ? F(p.Accuracy) : "")]);
        _console.Results.Write(curve);

        var rates = result.Sweep.Grid.Rates;
        var sweep = new Table().Border(TableBorder.Simple)
            .Title($"{result.SweepTask}: test accuracy per layer and clipping rate (unpruned {F(result.Sweep.Baseline.Accuracy)})")
            .AddColumn("module").AddColumn("layer");
        foreach (var rate in rates) sweep.AddColumn(rate.ToString(CultureInfo.InvariantCulture));
        foreach (var row in result.Sweep.Cells.GroupBy(c => (c.Target, c.Layer)).OrderBy(g => g.Key.Target).ThenBy(g => g.Key.Layer))
            sweep.AddRow([row.Key.Target, row.Key.Layer.ToString(CultureInfo.InvariantCulture),
                .. rates.Select(rate => row.FirstOrDefault(c => c.Rate == rate) is { } c ? F(c.Accuracy) : "")]);
        _console.Results.Write(sweep);

        foreach (var s in result.Searches)
            _console.Results.MarkupLineInterpolated(
                $"Algorithm 1 ({s.Module}): layer {s.ChosenLayer}, xi* = {s.BestRate.ToString(CultureInfo.InvariantCulture)}, test {F(s.Test.BaselineAccuracy)} -> {F(s.Test.PrunedAccuracy)} (paired p = {s.Test.Paired.PTwoSided.ToString("G3", CultureInfo.InvariantCulture)})");
        foreach (var p in result.Power)
            _console.Results.MarkupLineInterpolated(
                $"power to detect +{p.Shift.ToString(CultureInfo.InvariantCulture)} at alpha {p.Alpha.ToString(CultureInfo.InvariantCulture)} ({p.Items} items x {p.Seeds} seeds, churn {p.Churn.ToString(CultureInfo.InvariantCulture)}): {F(p.Power)}");
        _console.Results.MarkupLineInterpolated($"{DemoFindings.Verdict(result)}");
        if (result.Dynamics is { } d)
            _console.Results.MarkupLineInterpolated(
                $"implicit-gradient norms vs accuracy across {d.Cells.Count} cells (Spearman): sum ||dW_t|| {F(d.SpearmanDeltaW)}, ||G_last|| {F(d.SpearmanLastG)}");
    }
}
