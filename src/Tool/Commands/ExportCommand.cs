using System.CommandLine;
using System.Text.Json;
using IclPrune.Export;
using IclPrune.Pruning;
using IclPrune.Search;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>`export`: write a pruned model as a Hugging Face folder (dense, or low-rank factors with --factorized).</summary>
public sealed class ExportCommand : Command
{
    readonly CliConsole _console;
    readonly ModelSelectionOptions _model = new();
    readonly PruneSpecOptions _prune = new();

    static readonly Option<string> Out = new("--out", "-o") { Description = "Folder to write (created; must not be the source).", Required = true, HelpName = "DIR" };
    static readonly Option<bool> Factorized = new("--factorized")
    {
        Description = "Store each pruned matrix P as factors P.lowrank_a [m, r] and P.lowrank_b [r, n] plus lowrank.json (docs/pruning.md).",
    };
    static readonly Option<bool> Json = new("--json") { Description = "Print the export report as JSON." };

    public ExportCommand(CliConsole console) : base("export", "Write a pruned model as a Hugging Face checkpoint folder that loads back with the same logits.")
    {
        _console = console;
        _model.AddTo(this);
        _prune.AddTo(this);
        Options.Add(Out);
        Options.Add(Factorized);
        Options.Add(Json);
        SetAction((parse, _) => Task.FromResult(Execute(parse)));
    }

    int Execute(ParseResult parse)
    {
        var specs = _prune.Specs(parse);
        if (specs.Count == 0) throw new UsageException("export needs at least one --prune SPEC or a --prune-file.");
        using var loaded = _model.Load(parse);
        var plan = PrunePlan.For(loaded.Model, specs);
        using var pruner = new Pruner(loaded.Model.NamedParameters);
        string outFolder = parse.GetValue(Out)!;
        if (Path.GetFullPath(outFolder).TrimEnd('/') == Path.GetFullPath(loaded.Folder).TrimEnd('/'))   // the core refuses too, without the flag
            throw new UsageException($"--out '{outFolder}' is the source checkpoint folder; export into a new folder.");
        _console.Log($"exporting {loaded.Id} pruned by {plan} to {outFolder}");
        var report = _console.WithProgress(board =>
        {
            var stage = board.Stage("export", "steps");
            return PrunedExport.Write(loaded.Folder, loaded.Model.NamedParameters, plan, pruner, outFolder, parse.GetValue(Factorized),
                (done, total, detail) => stage.Report(done, total, detail));
        });

        if (parse.GetValue(Json))
        {
            _console.Output.WriteLine(JsonSerializer.Serialize(report, SearchJson.Indented));
            return ExitCodes.Success;
        }
        var table = new Table().Border(TableBorder.Simple).AddColumn("").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("folder", Markup.Escape(report.Folder));
        table.AddRow("matrices pruned", plan.Steps.Count(s => !s.IsNoOp).ToString());
        table.AddRow("format", report.Factorized ? "factorized (lowrank.json)" : "dense");
        table.AddRow("parameters (dense)", $"{report.DenseParameters:N0}");
        table.AddRow("parameters stored", $"{report.StoredParameters:N0}");
        table.AddRow("parameters saved", $"{report.ParametersSaved:N0} ({Percent(report.ParametersSaved, report.DenseParameters)})");
        table.AddRow("weight bytes saved", $"{report.BytesSaved:N0} ({Percent(report.BytesSaved, report.DenseBytes)})");
        if (report.DenseSlices.Count > 0)
            table.AddRow("stored dense (fused slices)", Markup.Escape(string.Join(", ", report.DenseSlices)));
        _console.Results.Write(table);
        return ExitCodes.Success;
    }

    static string Percent(long part, long whole) => whole == 0 ? "0%" : $"{100.0 * part / whole:F2}%";
}
