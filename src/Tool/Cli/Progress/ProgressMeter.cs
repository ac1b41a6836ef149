using System.Diagnostics;

namespace IclPrune.Tool.Cli.Progress;

/// <summary>
/// Rate and ETA of one stage, measured from its first report rather than from zero: a resumed sweep reports
/// "14/32" at once, and counting those 13 journaled cells as work done now would promise an ETA far too soon.
/// </summary>
public sealed class ProgressMeter(string stage, string unit)
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    (TimeSpan At, long Done)? _first;

    public ProgressSnapshot Next(long done, long total, string? detail)
    {
        var now = _clock.Elapsed;
        _first ??= (now, done);
        double seconds = (now - _first.Value.At).TotalSeconds;
        long progressed = done - _first.Value.Done;
        double? rate = seconds > 0 && progressed > 0 ? progressed / seconds : null;
        TimeSpan? remaining = done >= total ? TimeSpan.Zero
            : rate is { } r ? TimeSpan.FromSeconds(Math.Min((total - done) / r, TimeSpan.MaxValue.TotalSeconds / 2)) : null;
        return new ProgressSnapshot(stage, unit, done, total, detail, now, rate, remaining);
    }
}
