using System.CommandLine;
using IclPrune.Tool.Cli;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `dev`: the tools that build and measure this repository (the tiny model, the synthetic tasks, the benchmarks behind
/// docs/performance.md). Hidden from the main help so that users see the product's commands; `dev --help` lists them.
/// </summary>
public sealed class DevCommand : Command
{
    public const string CommandName = "dev";

    public DevCommand(CliConsole console) : base(CommandName, "Developer tools: train the tiny model, write the synthetic tasks, benchmarks.")
    {
        Hidden = true;
        Subcommands.Add(new TrainTinyCommand(console));
        Subcommands.Add(new GenerateSyntheticCommand(console));
        Subcommands.Add(new MeasureSyntheticCommand(console));
        Subcommands.Add(new BenchmarkCommand(console));
        Subcommands.Add(new PruneBenchmarkCommand(console));
        Subcommands.Add(new EvalBenchmarkCommand(console));
    }
}
