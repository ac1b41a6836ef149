namespace IclAssertions.Gate;

/// <summary>The gate's decision, the differing inputs when there are any, and the comparison when one was made.</summary>
public sealed record GateVerdict(GateOutcome Outcome, string Summary, IReadOnlyList<string> InputDifferences,
    ComparisonReport? Comparison, GateOptions Options)
{
    public override string ToString()
    {
        var lines = new List<string> { Summary };
        lines.AddRange(InputDifferences.Select(d => "  " + d));
        if (Comparison is not null) lines.Add(Comparison.ToString());
        return string.Join(Environment.NewLine, lines);
    }
}
