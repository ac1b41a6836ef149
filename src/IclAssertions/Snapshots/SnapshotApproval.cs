using IclAssertions.Gate;

namespace IclAssertions.Snapshots;

/// <summary>What `snapshots accept|review|reject` do to the received files under a folder (the CLI is a thin shell).</summary>
public static class SnapshotApproval
{
    /// <summary>
    /// Renames every received file over its verified file, except those whose verdict shows an accuracy drop when
    /// <paramref name="acceptDrops"/> is false: those stay pending and are returned as refused, with the verdict.
    /// </summary>
    public static AcceptResult Accept(string root, bool acceptDrops = false)
    {
        var written = new List<string>();
        var refused = new List<PendingSnapshot>();
        foreach (var pending in Pending(root))
        {
            if (pending.Verdict is { ShowsDrop: true } && !acceptDrops)
            {
                refused.Add(pending);
                continue;
            }
            AtomicFile.MoveOver(pending.Received, pending.Verified);
            written.Add(pending.Verified);
        }
        return new AcceptResult(written, refused);
    }

    /// <summary>Deletes every received file; returns the deleted paths.</summary>
    public static IReadOnlyList<string> Reject(string root)
    {
        var deleted = SnapshotPaths.FindReceived(root);
        foreach (string received in deleted) File.Delete(received);
        return deleted;
    }

    /// <summary>Each pending received file with the gate's verdict against the verified file (null: nothing approved yet).</summary>
    public static IReadOnlyList<PendingSnapshot> Pending(string root) =>
        SnapshotPaths.FindReceived(root).Select(received =>
        {
            string verified = SnapshotPaths.VerifiedFor(received);
            var receivedDoc = SnapshotSerializer.Read(received); // never approve a file the gate could not read later
            if (!File.Exists(verified)) return new PendingSnapshot(received, verified, receivedDoc, null);
            var approvedDoc = SnapshotSerializer.Read(verified);
            return new PendingSnapshot(received, verified, receivedDoc,
                SnapshotGate.Decide(approvedDoc, receivedDoc, receivedDoc.Gate, approvedSource: verified));
        }).ToArray();
}

/// <summary>A received snapshot waiting for review; Verdict is null when nothing is approved yet.</summary>
public sealed record PendingSnapshot(string Received, string Verified, SnapshotDocument Document, GateVerdict? Verdict);

/// <summary>What accept did: the verified files written, and the received files it refused because they show a drop.</summary>
public sealed record AcceptResult(IReadOnlyList<string> Accepted, IReadOnlyList<PendingSnapshot> Refused);
