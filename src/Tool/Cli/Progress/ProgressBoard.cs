namespace IclPrune.Tool.Cli.Progress;

/// <summary>
/// Where a long command reports its stages (cells, items, tensors). One board per command run; the mode (live bars,
/// plain lines, JSON lines) is chosen once by <see cref="CliConsole"/>, so commands never branch on it.
/// </summary>
public abstract class ProgressBoard
{
    /// <summary>A stage shown as its own bar or line prefix, counted in <paramref name="unit"/> (plural: "cells").</summary>
    public ProgressStage Stage(string name, string unit) => new(new ProgressMeter(name, unit), Show(name));

    /// <summary>Returns what shows the snapshots of stage <paramref name="name"/>.</summary>
    protected abstract Action<ProgressSnapshot> Show(string name);
}

/// <summary>A stage of a <see cref="ProgressBoard"/>.</summary>
public sealed class ProgressStage(ProgressMeter meter, Action<ProgressSnapshot> show)
{
    /// <param name="detail">What just finished ("mlp@0:0.9: accuracy 0.5000"); plain mode prints a line for each.</param>
    public void Report(long done, long total, string? detail = null) => show(meter.Next(done, total, detail));
}
