namespace IclAssertions.Snapshots;

/// <summary>
/// Verify's naming: `{Class}.{Method}[_{params}].verified.json` beside the test source, `.received.json` on mismatch.
/// </summary>
public sealed record SnapshotPaths(string Folder, string BaseName)
{
    public const string VerifiedSuffix = ".verified.json";
    public const string ReceivedSuffix = ".received.json";

    public string Verified => Path.Combine(Folder, BaseName + VerifiedSuffix);
    public string Received => Path.Combine(Folder, BaseName + ReceivedSuffix);

    /// <summary>The verified file that a received file would become on accept.</summary>
    public static string VerifiedFor(string receivedPath) =>
        receivedPath.EndsWith(ReceivedSuffix, StringComparison.Ordinal)
            ? receivedPath[..^ReceivedSuffix.Length] + VerifiedSuffix
            : throw new ArgumentException($"{receivedPath} does not end with {ReceivedSuffix}.", nameof(receivedPath));

    /// <summary>Every pending received file under <paramref name="root"/>, skipping bin/ and obj/ output folders.</summary>
    public static IReadOnlyList<string> FindReceived(string root)
    {
        if (!Directory.Exists(root)) throw new IclPrune.UsageException($"Folder {root} does not exist.");
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
        return Directory.EnumerateFiles(root, "*" + ReceivedSuffix, options)
            .Where(p => !IsBuildOutput(Path.GetRelativePath(root, p)))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git");
}
