using System.Collections.Concurrent;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IclPrune.Tool.Cli.Progress;

/// <summary>
/// Spectre bars redrawn in place: description, bar, percentage, then our rate and ETA (<see cref="ProgressMeter"/>
/// ignores resumed work; Spectre's own speed column would count it as done in the first second).
/// </summary>
public sealed class LiveProgressBoard : ProgressBoard
{
    readonly ProgressContext _context;
    readonly ConcurrentDictionary<int, ProgressSnapshot> _latest;

    LiveProgressBoard(ProgressContext context, ConcurrentDictionary<int, ProgressSnapshot> latest)
    {
        _context = context;
        _latest = latest;
    }

    public static T Run<T>(IAnsiConsole console, Func<ProgressBoard, T> work)
    {
        var latest = new ConcurrentDictionary<int, ProgressSnapshot>();
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RateAndEtaColumn(latest), new ElapsedTimeColumn())
            .Start(context => result = work(new LiveProgressBoard(context, latest)));
        return result;
    }

    protected override Action<ProgressSnapshot> Show(string name)
    {
        var task = _context.AddTask(Markup.Escape(name));
        return s =>
        {
            _latest[task.Id] = s;
            task.MaxValue = Math.Max(1, s.Total);
            task.Value = s.Done;
            task.Description = Markup.Escape(s.Detail is null ? $"{s.Stage} {s.Done}/{s.Total} {s.Unit}" : $"{s.Stage} ({s.Unit}): {s.Detail}");
        };
    }

    /// <summary>"2.5/s ETA 0:01:02" (the unit is in the description), kept on one line in an 80-column terminal.</summary>
    sealed class RateAndEtaColumn(ConcurrentDictionary<int, ProgressSnapshot> latest) : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            if (!latest.TryGetValue(task.Id, out var s)) return Text.Empty;
            string rate = s.Rate is { } r ? $"{r:G3}/s" : "-/s";
            string eta = s.Finished ? "done" : s.Remaining is { } t ? $"ETA {ProgressSnapshot.Clock(t)}" : "ETA -";
            return new Text($"{rate}  {eta}", new Style(Color.Grey));
        }
    }
}
