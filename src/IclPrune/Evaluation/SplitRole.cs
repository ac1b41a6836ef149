namespace IclPrune.Evaluation;

/// <summary>
/// Which scored split: validation (for choosing, as the search does) or test (for reporting). The one type for a
/// split everywhere in the engine; results, snapshots and the command line spell it by <see cref="SplitRoles.Name"/>.
/// </summary>
public enum SplitRole
{
    Validation,
    Test,
}

public static class SplitRoles
{
    /// <summary>"validation" or "test": how results JSON, snapshots and the task's split plan name the split.</summary>
    public static string Name(this SplitRole role) => role == SplitRole.Validation ? "validation" : "test";

    /// <summary>Reads a split name (case and surrounding spaces ignored); anything else is a usage error naming it.</summary>
    public static SplitRole Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "validation" => SplitRole.Validation,
        "test" => SplitRole.Test,
        _ => throw new UsageException($"split '{text}' cannot be scored; expected validation or test."),
    };
}
