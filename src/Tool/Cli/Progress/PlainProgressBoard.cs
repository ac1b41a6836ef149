using System.Globalization;

namespace IclPrune.Tool.Cli.Progress;

/// <summary>
/// Progress as text lines: one per report that names what finished (a sweep cell), otherwise one every few seconds
/// and one at the end, so that a log of an 8,000-item eval stays readable.
/// </summary>
public sealed class PlainProgressBoard(TextWriter error) : ProgressBoard
{
    static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);
    readonly Lock _lock = new();

    protected override Action<ProgressSnapshot> Show(string name)
    {
        TimeSpan? lastLine = null;
        return s =>
        {
            if (s.Detail is null && !s.Finished && lastLine is { } last && s.Elapsed - last < Quiet) return;
            lastLine = s.Elapsed;
            lock (_lock) error.WriteLine(Line(s));
        };
    }

    public static string Line(ProgressSnapshot s)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"{s.Stage}: {s.Done}/{s.Total} {s.Unit} ({s.Percent:F0}%)");
        if (s.Rate is { } rate) text += string.Create(CultureInfo.InvariantCulture, $", {rate:G3} {s.Unit}/s");
        if (s.Remaining is { } eta && !s.Finished) text += $", ETA {ProgressSnapshot.Clock(eta)}";
        return s.Detail is null ? text : $"{text} - {s.Detail}";
    }
}
