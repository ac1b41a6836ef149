using IclAssertions.Constraints;
using System.Runtime.CompilerServices;

namespace IclAssertions;

/// <summary>Entry point for snapshot assertions: `Assert.That(result, Matches.ApprovedSnapshot())`.</summary>
public static class Matches
{
    /// <param name="callerFilePath">Filled in by the compiler: the snapshot lives beside the calling test's source.</param>
    public static ApprovedSnapshotConstraint ApprovedSnapshot([CallerFilePath] string callerFilePath = "") => new(callerFilePath);
}
