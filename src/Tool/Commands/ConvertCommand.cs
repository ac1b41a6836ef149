using System.CommandLine;
using IclPrune.Checkpoints;
using IclPrune.Runtime;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>`convert`: a safetensors copy of a model folder (weights from .bin or safetensors), so pickle can be left
/// behind. The work is <see cref="CheckpointConverter"/>; this class only maps options and prints.</summary>
public sealed class ConvertCommand : Command
{
    static readonly Option<string> Model = ModelSelectionOptions.CreateModel();

    static readonly Option<string> Out = new("--out")
    {
        Description = "Folder to write the safetensors copy into; must be empty or new unless --force.",
        Required = true,
        HelpName = "DIR",
    };

    static readonly Option<string> MaxShardSize = new("--max-shard-size")
    {
        Description = "Largest shard before the weights are split into model-0000i-of-0000n.safetensors plus an index " +
                      "(5GB = 5*10^9 bytes as Hugging Face counts; GiB units are powers of 2).",
        DefaultValueFactory = _ => ShardSize.Default,
        HelpName = "SIZE",
    };

    static readonly Option<bool> Force = new("--force")
    {
        Description = "Write into a non-empty --out, replacing the weight files an earlier convert left there.",
    };

    readonly CliConsole _console;

    public ConvertCommand(CliConsole console) : base("convert", "Write a safetensors copy of a model folder (HF layout, sharded above a size limit).")
    {
        _console = console;
        Options.Add(Model);
        Options.Add(Out);
        Options.Add(MaxShardSize);
        Options.Add(Force);
        SetAction((parse, cancellation) => Task.FromResult(Execute(parse, cancellation)));
    }

    int Execute(ParseResult parse, CancellationToken cancellation)
    {
        long maxShardBytes = ShardSize.Parse(parse.GetValue(MaxShardSize)!);
        string model = HubCache.ResolveModelFolder(parse.GetValue(Model)!), output = parse.GetValue(Out)!;
        // The converter refuses these too, in words about values; here they name the flags.
        if (Path.GetFullPath(output).TrimEnd('/') == model.TrimEnd('/'))
            throw new UsageException($"--out {output} is the model folder itself; choose a new folder.");
        if (!parse.GetValue(Force) && Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new UsageException($"--out {output} is not empty; pass --force to overwrite the files convert writes there.");
        TorchRuntime.EnsureInitialized(parse.GetValue(GlobalOptions.LibTorch));
        var result = _console.WithProgress(board =>
        {
            var tensors = board.Stage("convert", "tensors");
            return CheckpointConverter.Convert(model, output, maxShardBytes, parse.GetValue(Force),
                _console.Log, cancellation, (done, total) => tensors.Report(done, total));
        });

        var table = new Table().Border(TableBorder.Simple).AddColumn("convert").AddColumn("value");
        void Row(string key, string value) => table.AddRow(Markup.Escape(key), Markup.Escape(value));
        Row("read from", result.SourceFormat.Describe());
        Row("source files", string.Join(", ", result.SourceFiles.Select(Path.GetFileName)));
        Row("tensors", $"{result.TensorCount} ({result.TensorBytes:N0} bytes)");
        Row("wrote", string.Join(", ", result.WeightFiles.Select(Path.GetFileName)));
        Row("copied", result.CopiedFiles.Count == 0 ? "(none)" : string.Join(", ", result.CopiedFiles));
        _console.Results.Write(table);
        _console.Results.MarkupLineInterpolated($"[green]wrote a safetensors copy to {Path.GetFullPath(parse.GetValue(Out)!)}[/]");
        return ExitCodes.Success;
    }
}
