using System.CommandLine;
using IclPrune.Synthetic;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>`dev generate-synthetic`: writes the synthetic tasks' YAML and JSONL files (deterministic per world seed).</summary>
public sealed class GenerateSyntheticCommand : Command
{
    static readonly Option<string> Out = new("--out") { Description = "Folder for ID.yaml and ID/SPLIT.jsonl.", DefaultValueFactory = _ => "synthetic-tasks" };
    static readonly Option<int> Seed = new("--seed") { Description = "World seed (the bundled tiny model was trained on the default).", DefaultValueFactory = _ => SyntheticWorld.DefaultSeed };

    readonly CliConsole _console;

    public GenerateSyntheticCommand(CliConsole console) : base("generate-synthetic", "Write the synthetic in-context-learning tasks (YAML + JSONL) of the tiny model's world.")
    {
        _console = console;
        Options.Add(Out);
        Options.Add(Seed);
        SetAction((parse, _) => Task.FromResult(Execute(parse)));
    }

    int Execute(ParseResult parse)
    {
        var world = SyntheticWorld.Create(parse.GetValue(Seed));
        string folder = Path.GetFullPath(parse.GetValue(Out)!);
        var files = SyntheticTaskFiles.Write(world, folder);
        _console.Results.MarkupLineInterpolated($"wrote {files.Count} files to {folder}");
        return ExitCodes.Success;
    }
}
