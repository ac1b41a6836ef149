using System.CommandLine;
using System.Text.Json;
using IclPrune.Checkpoints;
using IclPrune.Models;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `inspect`: what a checkpoint is (family, sizes, parameters, dtype) and which matrices of a layer can be pruned;
/// with --spectra, the spectra of every prunable matrix instead (<see cref="InspectSpectra"/>).
/// </summary>
public sealed class InspectCommand : Command
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    readonly CliConsole _console;
    readonly ModelSelectionOptions _model = new();
    readonly InspectSpectra _spectra = new();
    readonly InspectIclDynamics _dynamics = new();
    readonly Option<int> _layer = new("--layer") { Description = "Layer whose prunable matrices are listed.", DefaultValueFactory = _ => 0 };
    readonly Option<bool> _json = new("--json") { Description = "Print JSON for machines." };

    public InspectCommand(CliConsole console) : base("inspect", "Describe a checkpoint: architecture, sizes, parameter count, dtype, prunable matrices of one layer; --spectra adds singular-value statistics of every prunable matrix; --icl-dynamics the implicit-gradient norms per layer, unpruned vs pruned.")
    {
        _console = console;
        _model.AddTo(this);
        _spectra.AddTo(this);
        _dynamics.AddTo(this);
        Options.Add(_layer);
        Options.Add(_json);
        SetAction((parse, cancellation) => Task.FromResult(Execute(parse, cancellation)));
    }

    int Execute(ParseResult parse, CancellationToken cancellation)
    {
        using var loaded = _model.Load(parse);
        if (_spectra.Requested(parse))
        {
            _spectra.Run(parse, loaded, _console, parse.GetValue(_json), cancellation);
            return ExitCodes.Success;
        }
        if (_dynamics.Requested(parse))
        {
            _dynamics.Run(parse, loaded, _console, parse.GetValue(_json));
            return ExitCodes.Success;
        }
        var model = (DecoderModel)loaded.Model;
        var d = model.Description;
        var c = loaded.Config;
        int layer = parse.GetValue(_layer);
        var matrices = model.PrunableMatrices(layer)
            .Select(m => new { group = m.Group, name = m.Name, shape = model.NamedParameters[m.Name].shape })
            .ToList();
        var report = new
        {
            model = loaded.Id,
            folder = loaded.Folder,
            architecture = d.ModelType,
            layers = d.NumLayers,
            hidden_size = d.HiddenSize,
            heads = d.NumHeads,
            key_value_heads = d.NumKeyValueHeads,
            head_dim = c.HeadDim,
            intermediate_size = c.IntermediateSize,
            vocab_size = d.VocabSize,
            max_positions = d.MaxPositions,
            rotary = c.Rope is { } r ? new { dim = r.RotaryDim, theta = r.Theta, interleaved = r.Interleaved, scaling = r.Scaling?.Type } : null,
            tied_embeddings = c.TieWordEmbeddings,
            parameters = d.ParameterCount,
            dtype = ModelLoadOptions.DTypeName(d.DType),
            device = d.Device,
            fingerprint = loaded.Fingerprint,
            weights = new { format = loaded.WeightsFormat.JsonName(), files = loaded.WeightFiles.Select(Path.GetFileName).ToList() },
            layer,
            prunable_matrices = matrices,
        };
        if (parse.GetValue(_json))
        {
            _console.Output.WriteLine(JsonSerializer.Serialize(report, Indented));
            return ExitCodes.Success;
        }
        var table = new Table().Border(TableBorder.Simple).AddColumn("property").AddColumn("value");
        void Row(string k, object? v) => table.AddRow(Markup.Escape(k), Markup.Escape(v?.ToString() ?? "-"));
        Row("model", loaded.Id);
        Row("folder", loaded.Folder);
        Row("architecture", d.ModelType);
        Row("layers", d.NumLayers);
        Row("hidden size", d.HiddenSize);
        Row("heads (kv)", $"{d.NumHeads} ({d.NumKeyValueHeads})");
        Row("head dim", c.HeadDim);
        Row("intermediate size", c.IntermediateSize);
        Row("vocabulary", d.VocabSize);
        Row("rotary", c.Rope is { } rope ? $"{rope.RotaryDim} of {c.HeadDim}, theta {rope.Theta}, {(rope.Interleaved ? "interleaved" : "half-split")}{(rope.Scaling is null ? "" : ", " + rope.Scaling.Type)}" : "learned positions");
        Row("tied embeddings", c.TieWordEmbeddings);
        Row("parameters", d.ParameterCount.ToString("N0"));
        Row("dtype / device", $"{ModelLoadOptions.DTypeName(d.DType)} / {d.Device}");
        Row("fingerprint", loaded.Fingerprint);
        Row("weights", $"{loaded.WeightsFormat.Describe()}: {string.Join(", ", loaded.WeightFiles.Select(Path.GetFileName))}");
        _console.Results.Write(table);
        var prunable = new Table().Border(TableBorder.Simple).Title($"prunable matrices of layer {layer}")
            .AddColumn("group").AddColumn("name").AddColumn("shape");
        foreach (var m in matrices)
            prunable.AddRow(m.group, Markup.Escape(m.name), string.Join(" x ", m.shape));
        _console.Results.Write(prunable);
        return ExitCodes.Success;
    }
}
