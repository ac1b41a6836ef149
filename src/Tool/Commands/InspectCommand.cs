using System.CommandLine;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>`inspect`: what a checkpoint is; with --spectra, the spectra of its prunable matrices (InspectSpectra).</summary>
public sealed class InspectCommand : Command
{
    readonly CliConsole _console;
    readonly ModelSelectionOptions _model = new();
    readonly InspectSpectra _spectra = new();
    static readonly Option<bool> Json = new("--json") { Description = "Machine-readable output." };

    public InspectCommand(CliConsole console) : base("inspect", "Describe a checkpoint; --spectra adds singular-value statistics of every prunable matrix.")
    {
        _console = console;
        _model.AddTo(this);
        _spectra.AddTo(this);
        Options.Add(Json);
        SetAction((parse, cancellation) => Task.FromResult(Execute(parse, cancellation)));
    }

    int Execute(ParseResult parse, CancellationToken cancellation)
    {
        using var loaded = _model.Load(parse);
        bool json = parse.GetValue(Json);
        if (!_spectra.Requested(parse))
        {
            var d = loaded.Model.Description;
            var table = new Table().Border(TableBorder.Simple).AddColumn("").AddColumn("value");
            table.AddRow("model_type", d.ModelType);
            table.AddRow("layers", d.NumLayers.ToString());
            table.AddRow("hidden size", d.HiddenSize.ToString());
            table.AddRow("heads", $"{d.NumHeads} (kv {d.NumKeyValueHeads})");
            table.AddRow("parameters", $"{d.ParameterCount:N0}");
            table.AddRow("dtype", d.DType.ToString());
            _console.Results.Write(table);
            return ExitCodes.Success;
        }
        _spectra.Run(parse, loaded, _console, json, cancellation);
        return ExitCodes.Success;
    }
}
