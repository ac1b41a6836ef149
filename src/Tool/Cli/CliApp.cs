using System.CommandLine;
using IclPrune.Runtime;
using IclPrune.Tool.Commands;
using Spectre.Console;

namespace IclPrune.Tool.Cli;

/// <summary>The command tree and the one place where errors become exit codes.</summary>
public static class CliApp
{
    public static RootCommand BuildRoot(CliConsole console)
    {
        var root = new RootCommand("icl-prune: measure how SVD weight pruning changes in-context learning of causal LMs.");
        root.Options.Add(GlobalOptions.LibTorch);
        root.Subcommands.Add(new DoctorCommand(console));
        root.Subcommands.Add(new DemoCommand(console));
        root.Subcommands.Add(new InspectCommand(console));
        root.Subcommands.Add(new LogprobsCommand(console));
        root.Subcommands.Add(new BenchmarkCommand(console));
        root.Subcommands.Add(new ExportCommand(console));
        root.Subcommands.Add(new SearchCommand(console));
        root.Subcommands.Add(new SweepCommand(console));
        root.Subcommands.Add(new ConvertCommand(console));
        root.Subcommands.Add(new TasksCommand(console));
        root.Subcommands.Add(new PruneBenchmarkCommand(console));
        root.Subcommands.Add(new EvalBenchmarkCommand(console));
        root.Subcommands.Add(new TrainTinyCommand(console));
        root.Subcommands.Add(new GenerateSyntheticCommand(console));
        root.Subcommands.Add(new EvalCommand(console));
        root.Subcommands.Add(new SnapshotsCommand(console));
        root.Subcommands.Add(new InitCommand(console));
        root.Subcommands.Add(new MeasureSyntheticCommand(console));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error,
        CancellationToken cancellation = default)
    {
        var console = new CliConsole(output, error);
        var root = BuildRoot(console);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors) error.WriteLine($"error: {parseError.Message}");
            error.WriteLine("Run 'dotnet icl-prune --help' for usage.");
            return ExitCodes.Usage;
        }

        using var ctrlC = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; ctrlC.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            var configuration = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
            };
            return await parsed.InvokeAsync(configuration, ctrlC.Token);
        }
        catch (UsageException e)
        {
            console.Progress.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.Usage;
        }
        catch (IclPruneException e)
        {
            console.Progress.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            console.Progress.MarkupLine("[yellow]cancelled[/]");
            return ExitCodes.Cancelled;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
