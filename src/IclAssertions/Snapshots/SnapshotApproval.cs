namespace IclAssertions.Snapshots;

/// <summary>What `snapshots accept|review|reject` do to the received files under a folder (the CLI is a thin shell).</summary>
public static class SnapshotApproval
{
    /// <summary>Renames every received file over its verified file; returns the verified paths written.</summary>
    public static IReadOnlyList<string> Accept(string root)
    {
        var written = new List<string>();
        foreach (string received in SnapshotPaths.FindReceived(root))
        {
            SnapshotSerializer.Read(received); // never approve a file the gate could not read later
            string verified = SnapshotPaths.VerifiedFor(received);
            AtomicFile.MoveOver(received, verified);
            written.Add(verified);
        }
        return written;
    }

    /// <summary>Deletes every received file; returns the deleted paths.</summary>
    public static IReadOnlyList<string> Reject(string root)
    {
        var deleted = SnapshotPaths.FindReceived(root);
        foreach (string received in deleted) File.Delete(received);
        return deleted;
    }

    /// <summary>Each pending received file with its diff against the verified file (null diff: no verified file yet).</summary>
    public static IReadOnlyList<PendingSnapshot> Pending(string root) =>
        SnapshotPaths.FindReceived(root).Select(received =>
        {
            string verified = SnapshotPaths.VerifiedFor(received);
            var receivedDoc = SnapshotSerializer.Read(received);
            if (!File.Exists(verified)) return new PendingSnapshot(received, verified, null, null);
            var approvedDoc = SnapshotSerializer.Read(verified);
            return new PendingSnapshot(received, verified, SnapshotDiff.Lines(approvedDoc, receivedDoc),
                Gate.SnapshotGate.Decide(approvedDoc, receivedDoc, approvedSource: verified));
        }).ToArray();
}

/// <summary>A received snapshot waiting for review; Diff and Verdict are null when nothing is approved yet.</summary>
public sealed record PendingSnapshot(string Received, string Verified, IReadOnlyList<string>? Diff, Gate.GateVerdict? Verdict);
