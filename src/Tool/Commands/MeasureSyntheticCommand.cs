using System.CommandLine;
using System.Globalization;
using IclPrune.Models;
using IclPrune.Synthetic;
using IclPrune.Tool.Cli;
using IclPrune.Training;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `dev measure-synthetic`: the tiny model's quality bar (issue 7) on any checkpoint of the synthetic world: accuracy on
/// each built-in synthetic task at its default shots and at 0 shots, demonstration seeds 42, 43, 44.
/// </summary>
public sealed class MeasureSyntheticCommand : Command
{

    readonly CliConsole _console;
    readonly ModelSelectionOptions _model = new();

    public MeasureSyntheticCommand(CliConsole console) : base("measure-synthetic", "Accuracy of a model of the synthetic world on the synthetic tasks (k-shot and 0-shot, 3 seeds).")
    {
        _console = console;
        _model.Model.DefaultValueFactory = _ => BundledModels.TinyAlias;
        _model.Model.Required = false;
        _model.AddTo(this);
        SetAction((parse, _) =>
        {
            using var loaded = _model.Load(parse);
            Report(_console, loaded);
            return Task.FromResult(ExitCodes.Success);
        });
    }

    /// <summary>Prints the accuracy table of a model loaded through the HF loader.</summary>
    public static void Report(CliConsole console, LoadedModel loaded)
    {
        var world = SyntheticWorld.Create();
        var vocabulary = new ByteLevelBpeVocabulary(world.SingleTokenWords);
        var table = new Table().Border(TableBorder.Simple).AddColumn("task").AddColumn("shots")
            .AddColumn("accuracy, seeds " + string.Join("/", TinyModelAccuracy.Seeds)).AddColumn("mean").AddColumn("chance");
        foreach (var row in TinyModelAccuracy.Measure(loaded.Model, world, vocabulary))
            table.AddRow(row.Task, row.Shots.ToString(CultureInfo.InvariantCulture),
                string.Join("  ", row.Accuracies.Select(a => a.ToString("F3", CultureInfo.InvariantCulture))),
                row.Mean.ToString("F3", CultureInfo.InvariantCulture), row.Chance.ToString("F3", CultureInfo.InvariantCulture));
        console.Results.Write(table);
    }
}
