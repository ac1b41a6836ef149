using System.Diagnostics;
using IclPrune.Evaluation;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>
/// How `eval` shows progress: a live Spectre bar (items, items/s, ETA) when stderr is a terminal, otherwise a plain
/// line at most every 5 seconds and at the end, so logs and CI output stay readable.
/// </summary>
internal static class EvalProgress
{
    public static T Run<T>(CliConsole console, string title, Func<IProgress<EvaluationProgress>, T> work)
    {
        if (console.ProgressIsInteractive)
        {
            T result = default!;
            console.Progress.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask(Markup.Escape(title));
                    result = work(new ActionProgress<EvaluationProgress>(p =>
                    {
                        task.MaxValue = p.ItemsTotal;
                        task.Value = p.ItemsDone;
                        task.Description = Markup.Escape($"{title} {p.ItemsDone}/{p.ItemsTotal} items, {p.ItemsPerSecond:F1} items/s");
                    }));
                });
            return result;
        }

        var sinceLastLine = Stopwatch.StartNew();
        return work(new ActionProgress<EvaluationProgress>(p =>
        {
            if (p.ItemsDone < p.ItemsTotal && sinceLastLine.Elapsed < TimeSpan.FromSeconds(5)) return;
            sinceLastLine.Restart();
            string eta = p.Remaining is { } r ? $", ETA {r:hh\\:mm\\:ss}" : "";
            console.Error.WriteLine($"{title}: {p.ItemsDone}/{p.ItemsTotal} items ({100.0 * p.ItemsDone / Math.Max(1, p.ItemsTotal):F0}%), {p.ItemsPerSecond:F1} items/s{eta}");
        }));
    }
}
