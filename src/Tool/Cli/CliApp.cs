using System.CommandLine;
using System.Runtime.InteropServices;
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
        root.Options.Add(GlobalOptions.Progress);
        root.Subcommands.Add(new DoctorCommand(console));
        root.Subcommands.Add(new DemoCommand(console));
        root.Subcommands.Add(new InspectCommand(console));
        root.Subcommands.Add(new LogprobsCommand(console));
        root.Subcommands.Add(new ExportCommand(console));
        root.Subcommands.Add(new SearchCommand(console));
        root.Subcommands.Add(new SweepCommand(console));
        root.Subcommands.Add(new ConvertCommand(console));
        root.Subcommands.Add(new TasksCommand(console));
        root.Subcommands.Add(new EvalCommand(console));
        root.Subcommands.Add(new SnapshotsCommand(console));
        root.Subcommands.Add(new InitCommand(console));
        root.Subcommands.Add(new ReportCommand(console));
        root.Subcommands.Add(new DevCommand(console));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error,
        CancellationToken cancellation = default)
    {
        var console = new CliConsole(output, error);
        var root = BuildRoot(console);
        ParseResult parsed = root.Parse(args);
        // Before anything is written, so that even a parse error is a JSON line under --progress json.
        if (parsed.GetResult(GlobalOptions.Progress) is { } progress && !progress.Errors.Any()) console.SelectProgress(parsed.GetValue(GlobalOptions.Progress)!);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors) console.Fail(parseError.Message);
            // The developer tools were top-level commands before they moved under `dev`: say where they went.
            if (args.Length > 0 && root.Subcommands.OfType<DevCommand>().Single().Subcommands.Any(c => c.Name == args[0]))
                console.Log($"'{args[0]}' is a developer tool: run '{CliHelp.ToolName} {DevCommand.CommandName} {args[0]}'.");
            console.Log($"Run '{CliHelp.ToolName} --help' for usage.");
            return ExitCodes.Usage;
        }

        using var ctrlC = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; ctrlC.Cancel(); };
        Console.CancelKeyPress += onCancel;
        // SIGTERM is what Slurm and Kubernetes send on preemption: the same orderly stop as Ctrl+C (the cell being
        // computed is dropped, the journal keeps every finished one), reported as 128 + 15.
        bool terminated = false;
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            terminated = true;
            ctrlC.Cancel();
        });
        try
        {
            var configuration = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
            };
            if (CliHelp.Requested(parsed)) return await CliHelp.WriteAsync(parsed, output, error, ctrlC.Token);
            return await parsed.InvokeAsync(configuration, ctrlC.Token);
        }
        // Work run on another thread (a progress display, a Parallel loop) may wrap the one error in an AggregateException.
        catch (AggregateException e) when (e.Flatten().InnerExceptions is [IclPruneException inner])
        {
            console.Fail(inner.Message);
            return inner is UsageException ? ExitCodes.Usage : ExitCodes.Failure;
        }
        catch (UsageException e)
        {
            console.Fail(e.Message);
            return ExitCodes.Usage;
        }
        catch (IclPruneException e)
        {
            console.Fail(e.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (ctrlC.IsCancellationRequested)
        {
            console.Cancelled(terminated);
            return terminated ? ExitCodes.Terminated : ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            // The last resort: every input error should have become an IclPruneException before this (the fuzz suite
            // checks that), so whatever lands here is a bug in the tool; say so instead of dumping a stack trace.
            InternalError.Report(error, args, e);
            return ExitCodes.Failure;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
