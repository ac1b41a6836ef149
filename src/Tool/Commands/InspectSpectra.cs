using System.CommandLine;
using System.Globalization;
using IclPrune.Models;
using IclPrune.Output;
using IclPrune.Pruning;
using IclPrune.Reports;
using IclPrune.Tool.Cli;
using Spectre.Console;
using static TorchSharp.torch;

namespace IclPrune.Tool.Commands;

/// <summary>
/// The --spectra part of `inspect`: singular-value summaries of every prunable matrix, a JSON file and a PNG plot of
/// condition number per layer per module. Kept apart from the rest of `inspect` so the command only wires it in.
/// </summary>
public sealed class InspectSpectra
{
    public readonly Option<bool> Spectra = new("--spectra")
    {
        Description = "Per layer and matrix: sigma_max, sigma_min, condition number, effective rank, energy kept at each rate; writes JSON and a PNG.",
    };

    public readonly Option<string?> Rates = RatesOption.Create("Rates for the energy-kept columns");

    public readonly Option<string> Precision = new("--spectra-precision")
    {
        Description = "float64 (default: resolves condition numbers up to ~1e15) or float32 (faster, unreliable beyond ~1e6).",
        DefaultValueFactory = _ => "float64",
    };

    public readonly Option<string> Out = new("--spectra-out")
    {
        Description = "Folder for spectra.json and spectra.png.",
        DefaultValueFactory = _ => ".",
        HelpName = "DIR",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Spectra);
        command.Options.Add(Rates);
        command.Options.Add(Precision);
        command.Options.Add(Out);
    }

    public bool Requested(ParseResult parse) => parse.GetValue(Spectra);

    /// <summary>Analyzes, writes the files, and prints a table (or the JSON with <paramref name="json"/>).</summary>
    public void Run(ParseResult parse, LoadedModel loaded, CliConsole console, bool json, CancellationToken cancellation)
    {
        var rates = RatesOption.Value(parse, Rates);
        var precision = parse.GetValue(Precision)!.Trim().ToLowerInvariant() switch
        {
            "float64" => ScalarType.Float64,
            "float32" => ScalarType.Float32,
            var other => throw new UsageException($"--spectra-precision '{other}' is invalid; expected float64 or float32."),
        };
        var model = loaded.Model;
        var map = PruneTargetMaps.For(model.Description, model.NamedParameters.Keys);
        int layers = model.Description.NumLayers;
        var progress = new ActionProgress<int>(l => console.Progress.WriteLine(
            string.Create(CultureInfo.InvariantCulture, $"spectra: layer {l + 1}/{layers}")));
        var spectra = SpectraAnalysis.Analyze(model.NamedParameters, map, layers, rates, precision, progress, cancellation);

        string folder = parse.GetValue(Out)!;
        AtomicFile.CreateFolder(folder);
        string jsonPath = Path.Combine(folder, "spectra.json");
        string pngPath = Path.Combine(folder, "spectra.png");
        string text = SpectraReport.Json(spectra);
        AtomicFile.WriteAllText(jsonPath, text + "\n");
        SpectraReport.SavePlot(spectra, pngPath);
        if (json) console.Output.WriteLine(text);
        else console.Output.Write(SpectraReport.Table(spectra));
        console.Progress.WriteLine($"wrote {jsonPath} and {pngPath}");
    }
}
