using IclAssertions.Gate;
using IclAssertions.Snapshots;
using NUnit.Framework;
using NUnit.Framework.Constraints;

namespace IclAssertions.Constraints;

/// <summary>
/// `Assert.That(result, Matches.ApprovedSnapshot())`: compares an evaluation with its approved `.verified.json`
/// through <see cref="SnapshotGate"/> and ends Passed or Failed, never Inconclusive (docs/assertions.md has the table).
/// Fails: no approved snapshot, a stale snapshot (items or prompt changed), a significant drop, a drop beyond the
/// tolerance, accuracy below the recovery bound, or a change the test required not to happen. Passes otherwise, also
/// across a model, prune-spec or environment change, which the message names.
/// Files: locally a `.received.json` is written whenever there is something to accept (a failure, an improvement, a
/// pass across a change); on CI (CI set) nothing is written beside the source, but the received file and the verdict
/// are attached to the test result. ICL_PRUNE_ACCEPT=1 writes the verified file directly, unless the gate sees a drop
/// (ICL_PRUNE_ACCEPT=drop approves that too).
/// </summary>
public sealed class ApprovedSnapshotConstraint : Constraint
{
    readonly string _callerFilePath;
    GateOptions _options = GateOptions.Default;
    string? _folder;
    string? _name;

    public ApprovedSnapshotConstraint(string callerFilePath) => _callerFilePath = callerFilePath;

    /// <summary>The one-sided significance level of the drop test (default 0.05).</summary>
    public ApprovedSnapshotConstraint WithAlpha(double alpha) => Configure(_options with { Alpha = alpha });

    /// <summary>Also fail when accuracy drops by more than <paramref name="maxDrop"/> (absolute), significant or not.</summary>
    public ApprovedSnapshotConstraint WithTolerance(double maxDrop) => Configure(_options with { MaxDrop = maxDrop });

    /// <summary>Also fail when accuracy is below <paramref name="fraction"/> of the approved accuracy (e.g. 0.95).</summary>
    public ApprovedSnapshotConstraint WithMinRecovery(double fraction) => Configure(_options with { MinRecovery = fraction });

    /// <summary>Fail when the model (its fingerprint) changed, instead of comparing across the change.</summary>
    public ApprovedSnapshotConstraint RequireSameModel() => Configure(_options with { RequireSameModel = true });

    /// <summary>Fail when the prune specs changed, instead of comparing across the change.</summary>
    public ApprovedSnapshotConstraint RequireSameSpecs() => Configure(_options with { RequireSameSpecs = true });

    /// <summary>Fail when device, dtype, backend or batch size changed, instead of comparing across the change.</summary>
    public ApprovedSnapshotConstraint RequireSameEnvironment() => Configure(_options with { RequireSameEnvironment = true });

    public ApprovedSnapshotConstraint InFolder(string folder) { _folder = folder; return this; }

    /// <summary>Use this file base name instead of `{Class}.{Method}_{params}`.</summary>
    public ApprovedSnapshotConstraint Named(string name) { _name = name; return this; }

    ApprovedSnapshotConstraint Configure(GateOptions options) { _options = options.Validate(); return this; }

    public override string Description => $"an evaluation matching its approved snapshot (item-clustered sign-flip test, one-sided alpha {_options.Alpha}" +
                                          (_options.MaxDrop is { } d ? $", max drop {d}" : "") +
                                          (_options.MinRecovery is { } r ? $", min recovery {r}" : "") + ")";

    public override ConstraintResult ApplyTo<TActual>(TActual actual)
    {
        var received = ResultInput.AsDocument(actual, "Matches.ApprovedSnapshot()") with { Gate = _options };
        var paths = SnapshotName.ForCurrentTest(_callerFilePath, _folder, _name);
        string receivedJson = SnapshotSerializer.Serialize(received);
        bool ci = SnapshotEnvironment.IsCi;
        var approved = File.Exists(paths.Verified) ? SnapshotSerializer.Read(paths.Verified) : null;
        var verdict = approved is null ? null : SnapshotGate.Decide(approved, received, _options, paths.Verified);
        string accuracy = received.Accuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);

        if (SnapshotEnvironment.Accept is not AcceptMode.Off && !ci)
            return AcceptNow(received, paths, receivedJson, verdict);

        if (verdict is null)
        {
            string where = ci
                ? "CI is set, so nothing was written beside the test: run the test locally, review and accept the snapshot, and commit it."
                : $"Wrote {paths.Received}; review it and accept with `dotnet icl-prune snapshots accept` (or rerun with ICL_PRUNE_ACCEPT=1).";
            string text = $"No approved snapshot {paths.Verified}.\n{where}\nReceived: accuracy {accuracy} over seeds " +
                          $"[{string.Join(", ", received.Seeds)}] on {received.Task.Id}.";
            Write(paths, receivedJson, ci);
            GateArtifacts.Attach(paths, receivedJson, text);
            GateArtifacts.AppendStepSummary(paths.BaseName, null, accuracy);
            return new GateConstraintResult(this, received, false, text);
        }

        bool pass = verdict.Outcome.IsPass();
        bool somethingToAccept = !pass || verdict.Outcome == GateOutcome.SignificantImprovement || verdict.Changes.Count > 0;
        string receivedNote = ci ? "(CI: nothing written beside the test; the received snapshot is attached to the test result.)"
            : somethingToAccept ? $"Received: {paths.Received} (review with `dotnet icl-prune snapshots review`, accept with `snapshots accept`)."
            : "";
        string message = $"{verdict}\nSnapshot: {paths.Verified}\n{receivedNote}".TrimEnd();

        if (somethingToAccept) Write(paths, receivedJson, ci);
        // Verify deletes a stale received file once nothing differs; so do we (noise never ratchets the baseline).
        else if (!ci && File.Exists(paths.Received)) File.Delete(paths.Received);
        if (verdict.Outcome != GateOutcome.Identical || verdict.Changes.Count > 0) GateArtifacts.Attach(paths, receivedJson, message);
        GateArtifacts.AppendStepSummary(paths.BaseName, verdict, accuracy);

        if (pass && (verdict.Outcome != GateOutcome.Identical || verdict.Changes.Count > 0)) TestContext.Out.WriteLine(message);
        return new GateConstraintResult(this, received, pass, message);
    }

    ConstraintResult AcceptNow(SnapshotDocument received, SnapshotPaths paths, string receivedJson, GateVerdict? verdict)
    {
        if (verdict is { ShowsDrop: true } && SnapshotEnvironment.Accept == AcceptMode.RefuseDrops)
        {
            AtomicFile.WriteAllText(paths.Received, receivedJson);
            return new GateConstraintResult(this, received, false,
                $"ICL_PRUNE_ACCEPT=1 does not approve an accuracy drop; {paths.Verified} is unchanged.\n{verdict}\n" +
                $"Wrote {paths.Received}. If the drop is intended, accept it with ICL_PRUNE_ACCEPT=drop or `dotnet icl-prune snapshots accept --accept-drop`.");
        }
        AtomicFile.WriteAllText(paths.Verified, receivedJson);
        if (File.Exists(paths.Received)) File.Delete(paths.Received);
        string note = $"ICL_PRUNE_ACCEPT is set: wrote {paths.Verified}." + (verdict is null ? "" : $"\n{verdict}");
        TestContext.Out.WriteLine(note);
        return new GateConstraintResult(this, received, true, note);
    }

    static void Write(SnapshotPaths paths, string receivedJson, bool ci)
    {
        if (!ci) AtomicFile.WriteAllText(paths.Received, receivedJson);
    }
}
