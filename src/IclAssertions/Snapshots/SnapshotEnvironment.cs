namespace IclAssertions.Snapshots;

/// <summary>
/// The two switches read from the environment: CI (set by GitHub Actions, GitLab, Azure Pipelines and most others:
/// write nothing, a missing snapshot is a failure) and ICL_PRUNE_ACCEPT=1 (write the verified file directly, the
/// equivalent of running `snapshots accept` afterwards). Read on every call so a test can set them.
/// </summary>
public static class SnapshotEnvironment
{
    public static bool IsCi => IsOn(Environment.GetEnvironmentVariable("CI"));
    public static bool AutoAccept => IsOn(Environment.GetEnvironmentVariable("ICL_PRUNE_ACCEPT"));

    static bool IsOn(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Trim().ToLowerInvariant() is not ("0" or "false" or "no" or "off");
}
