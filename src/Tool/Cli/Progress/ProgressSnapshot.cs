namespace IclPrune.Tool.Cli.Progress;

/// <summary>One report of a stage: <paramref name="Done"/> of <paramref name="Total"/> units, with rate and ETA when known.</summary>
public sealed record ProgressSnapshot(
    string Stage, string Unit, long Done, long Total, string? Detail, TimeSpan Elapsed, double? Rate, TimeSpan? Remaining)
{
    public bool Finished => Done >= Total;
    public double Percent => Total <= 0 ? 100 : 100.0 * Math.Min(Done, Total) / Total;

    /// <summary>"1:02:03" (hours not wrapped at a day: a 7B sweep may run longer).</summary>
    public static string Clock(TimeSpan t) => $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}";
}
