using IclAssertions.Gate;
using IclAssertions.Snapshots;
using NUnit.Framework;
using NUnit.Framework.Constraints;

namespace IclAssertions.Constraints;

/// <summary>
/// `Assert.That(result, Matches.ApprovedSnapshot())`: compares an evaluation with its approved
/// `.verified.json` through <see cref="SnapshotGate"/>. Pass: identical, noise, or a significant improvement (which
/// also writes `.received.json` so it can be accepted). Fail: missing snapshot, significant drop, drop beyond the
/// tolerance. Inconclusive: inputs or device/dtype changed. On CI nothing is written; with ICL_PRUNE_ACCEPT=1 the
/// verified file is (re)written and the test passes.
/// </summary>
public sealed class ApprovedSnapshotConstraint : Constraint
{
    readonly string _callerFilePath;
    GateOptions _options = GateOptions.Default;
    string? _folder;
    string? _name;

    public ApprovedSnapshotConstraint(string callerFilePath) => _callerFilePath = callerFilePath;

    public ApprovedSnapshotConstraint WithAlpha(double alpha) { _options = (_options with { Alpha = alpha }).Validate(); return this; }

    /// <summary>Also fail when accuracy drops by more than <paramref name="maxDrop"/> (absolute), significant or not.</summary>
    public ApprovedSnapshotConstraint WithTolerance(double maxDrop) { _options = (_options with { MaxDrop = maxDrop }).Validate(); return this; }

    public ApprovedSnapshotConstraint InFolder(string folder) { _folder = folder; return this; }

    /// <summary>Use this file base name instead of `{Class}.{Method}_{params}`.</summary>
    public ApprovedSnapshotConstraint Named(string name) { _name = name; return this; }

    public override string Description => $"an evaluation matching its approved snapshot (exact McNemar, alpha {_options.Alpha}" +
                                          (_options.MaxDrop is { } d ? $", max drop {d}" : "") + ")";

    public override ConstraintResult ApplyTo<TActual>(TActual actual)
    {
        var received = ResultInput.AsDocument(actual, "Matches.ApprovedSnapshot()");
        var paths = SnapshotName.ForCurrentTest(_callerFilePath, _folder, _name);
        string receivedJson = SnapshotSerializer.Serialize(received);
        bool ci = SnapshotEnvironment.IsCi;

        if (SnapshotEnvironment.AutoAccept && !ci)
        {
            AtomicFile.WriteAllText(paths.Verified, receivedJson);
            if (File.Exists(paths.Received)) File.Delete(paths.Received);
            TestContext.Out.WriteLine($"ICL_PRUNE_ACCEPT is set: wrote {paths.Verified}.");
            return new GateConstraintResult(this, received, true, "accepted");
        }

        if (!File.Exists(paths.Verified))
        {
            string where = ci
                ? "CI is set, so nothing was written: run the test locally, review and accept the snapshot, and commit it."
                : $"Wrote {paths.Received}; review it and accept with `dotnet icl-prune snapshots accept` (or rerun with ICL_PRUNE_ACCEPT=1).";
            if (!ci) AtomicFile.WriteAllText(paths.Received, receivedJson);
            return new GateConstraintResult(this, received, false,
                $"No approved snapshot {paths.Verified}.\n{where}\nReceived: accuracy {received.Accuracy} over seeds [{string.Join(", ", received.Seeds)}] on {received.Task.Id}.");
        }

        var approved = SnapshotSerializer.Read(paths.Verified);
        var verdict = SnapshotGate.Decide(approved, received, _options, paths.Verified);
        string diff = string.Join("\n", SnapshotDiff.Lines(approved, received).Select(l => "  " + l));
        string receivedNote = ci ? "(CI: nothing written.)" : $"Received: {paths.Received} (accept with `dotnet icl-prune snapshots accept`).";

        if (verdict.Outcome is GateOutcome.Identical or GateOutcome.WithinNoise)
        {
            // Verify deletes a stale received file once the test passes; so do we (the baseline stays the approved one,
            // so noise never ratchets the baseline down).
            if (!ci && File.Exists(paths.Received)) File.Delete(paths.Received);
            if (verdict.Outcome == GateOutcome.WithinNoise) TestContext.Out.WriteLine(verdict.ToString());
            return new GateConstraintResult(this, received, true, verdict.ToString());
        }

        if (!ci) AtomicFile.WriteAllText(paths.Received, receivedJson);
        string message = $"{verdict}\nSnapshot: {paths.Verified}\nDiff (approved -> received):\n{diff}\n{receivedNote}";
        if (verdict.Outcome.IsInconclusive()) Assert.Inconclusive(message);
        if (verdict.Outcome == GateOutcome.SignificantImprovement)
        {
            TestContext.Out.WriteLine(message);
            return new GateConstraintResult(this, received, true, message);
        }
        return new GateConstraintResult(this, received, false, message);
    }
}
