using IclPrune.Evaluation.Comparison;

namespace IclAssertions.Gate;

/// <summary>
/// The gate's decision with its evidence: the changes it compared across or that made the snapshot stale, the paired
/// comparison (null when the snapshot is stale), and the unpaired comparison of a stale snapshot. ToString() is the
/// message tests and `snapshots review` show.
/// </summary>
public sealed record GateVerdict(GateOutcome Outcome, string Summary, IReadOnlyList<InputChange> Changes,
    AccuracyComparison? Paired, IndependentComparison? Unpaired, GateOptions Options)
{
    /// <summary>A stale snapshot whose unpaired comparison also shows a significant drop: approving it needs the same "yes" as a paired drop.</summary>
    public bool ShowsDrop => Outcome.IsDrop() || (Unpaired is { } u && u.Difference < 0 && u.PDrop < Options.Alpha);

    public override string ToString()
    {
        var lines = new List<string> { Summary };
        if (Changes.Count > 0)
        {
            lines.Add(Outcome == GateOutcome.StaleSnapshot ? "What changed:" : "Compared across:");
            lines.AddRange(Changes.Select(c => "  " + c));
        }
        if (Paired is not null) lines.Add(ComparisonText.Paired(Paired, Options.Alpha));
        if (Unpaired is not null) lines.Add(ComparisonText.Unpaired(Unpaired));
        return string.Join("\n", lines);
    }
}
