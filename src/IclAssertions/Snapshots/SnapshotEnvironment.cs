namespace IclAssertions.Snapshots;

/// <summary>How ICL_PRUNE_ACCEPT asks the gate to approve: not at all, everything but drops, or drops too.</summary>
public enum AcceptMode { Off, RefuseDrops, IncludingDrops }

/// <summary>
/// The switches read from the environment: CI (set by GitHub Actions, GitLab, Azure Pipelines and most others:
/// write nothing to the source tree, a missing snapshot is a failure), ICL_PRUNE_ACCEPT (1: write the verified file
/// directly unless the gate sees a drop; `drop`: even then), and GITHUB_STEP_SUMMARY (where the gate appends its
/// outcome table). Read on every call so a test can set them.
/// </summary>
public static class SnapshotEnvironment
{
    public static bool IsCi => IsOn(Environment.GetEnvironmentVariable("CI"));

    public static AcceptMode Accept
    {
        get
        {
            string? value = Environment.GetEnvironmentVariable("ICL_PRUNE_ACCEPT");
            if (value?.Trim().Equals("drop", StringComparison.OrdinalIgnoreCase) == true) return AcceptMode.IncludingDrops;
            return IsOn(value) ? AcceptMode.RefuseDrops : AcceptMode.Off;
        }
    }

    public static string? StepSummaryPath => Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } p ? p : null;

    static bool IsOn(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Trim().ToLowerInvariant() is not ("0" or "false" or "no" or "off");
}
