namespace IclPrune.Tool.Cli;

/// <summary>
/// How an unexpected exception reaches the user: one paragraph with the command line, the error and where to report
/// it, on stderr. The stack trace is written only when ICL_PRUNE_DEBUG is set, for the report itself.
/// </summary>
internal static class InternalError
{
    public static void Report(TextWriter error, IReadOnlyList<string> args, Exception e)
    {
        var root = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : e;
        error.WriteLine($"internal error: {root.GetType().Name}: {root.Message}");
        error.WriteLine($"  command: icl-prune {string.Join(' ', args.Select(Quote))}");
        error.WriteLine($"  this is a bug in icl-prune, not in your input; please report it on the IclPrune issue tracker with " +
                        "the command above and the input files it names (set ICL_PRUNE_DEBUG=1 for the stack trace).");
        if (Environment.GetEnvironmentVariable("ICL_PRUNE_DEBUG") is { Length: > 0 })
            error.WriteLine(root.ToString());
    }

    static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,@".Contains(c)) ? arg : $"'{arg.Replace("'", "'\\''")}'";
}
