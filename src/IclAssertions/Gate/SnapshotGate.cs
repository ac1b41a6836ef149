using System.Globalization;
using IclAssertions.Snapshots;
using IclPrune.Evaluation.Comparison;

namespace IclAssertions.Gate;

/// <summary>
/// Decides a received snapshot against the approved one (docs/assertions.md has the table). First: did the items or
/// the prompt change? Then the snapshot is stale and fails until re-approved (Verify's convention), with an unpaired
/// comparison for orientation. Otherwise the two are paired by item key and compared, whatever else changed (model,
/// prune specs, device, dtype, backend, batch size, seeds, tool version): those changes are named in the message, and
/// fail only when the test asked for them to stay the same. The comparison fails on a significant drop (one-sided
/// item-clustered sign-flip test), a drop beyond the tolerance, or accuracy below the recovery bound.
/// </summary>
public static class SnapshotGate
{
    public static GateVerdict Decide(SnapshotDocument approved, SnapshotDocument received, GateOptions? options = null,
        string approvedSource = "approved")
    {
        options = (options ?? GateOptions.Default).Validate();
        var changes = Changes(approved, received).ToList();
        var (approvedScores, receivedScores) = PairableScores(approved, received, approvedSource);
        if (ItemsChange(approvedScores, receivedScores) is { } itemsChange) changes.Insert(0, itemsChange);

        var stale = changes.Where(c => c.Kind == InputKind.Items).ToList();
        if (stale.Count > 0)
            return new GateVerdict(GateOutcome.StaleSnapshot,
                "Stale snapshot: the scored items or the prompt changed since it was approved, so no paired comparison is possible. " +
                "Review and re-approve it (`dotnet icl-prune snapshots review`, then `snapshots accept`).",
                changes, null, IndependentComparison.Compare(approvedScores, receivedScores), options);

        var paired = AccuracyComparison.Compare(approvedScores, receivedScores, "approved", "received");
        var required = changes.Where(c => Required(c.Kind, options)).ToList();
        if (required.Count > 0)
            return new GateVerdict(GateOutcome.RequiredInputChanged,
                $"This test requires the same {string.Join(" and ", required.Select(c => KindName(c.Kind)).Distinct())} as the approved snapshot, " +
                "and it changed; re-approve the snapshot if the change is intended.",
                changes, paired, null, options);

        var outcome = Classify(paired, options);
        return new GateVerdict(outcome, Summarize(paired, outcome, options, changes), changes, paired, null, options);
    }

    /// <summary>The same decision for a candidate against a baseline that is not a snapshot (no input checks).</summary>
    public static GateOutcome Classify(AccuracyComparison c, GateOptions options)
    {
        if (c.Method == ComparisonMethod.NotTestable) return GateOutcome.NotComparable;
        if (c.Difference < 0 && c.PDrop < options.Alpha) return GateOutcome.SignificantDrop;
        if (options.MaxDrop is { } maxDrop && -c.Difference > maxDrop + 1e-12) return GateOutcome.DropBeyondTolerance;
        if (options.MinRecovery is { } r && c.CandidateAccuracy < r * c.BaselineAccuracy - 1e-12) return GateOutcome.BelowMinRecovery;
        if (c.Difference > 0 && c.PImprovement < options.Alpha) return GateOutcome.SignificantImprovement;
        return c.Flipped.Count > 0 ? GateOutcome.WithinNoise : GateOutcome.Identical;
    }

    static string Summarize(AccuracyComparison c, GateOutcome outcome, GateOptions options, IReadOnlyList<InputChange> changes)
    {
        var ci = CultureInfo.InvariantCulture;
        string delta = ComparisonText.Signed(c.Difference);
        string across = changes.Count == 0 ? "" : " Compared across " + string.Join(", ", changes.Select(Describe)) + ".";
        return outcome switch
        {
            GateOutcome.SignificantDrop =>
                $"Accuracy dropped significantly: {c.BaselineAccuracy.ToString("F4", ci)} -> {c.CandidateAccuracy.ToString("F4", ci)}, delta {delta} " +
                $"(one-sided p = {ComparisonText.P(c.PDrop)} < alpha {options.Alpha.ToString(ci)}).{across}",
            GateOutcome.DropBeyondTolerance =>
                $"Accuracy dropped by {(-c.Difference).ToString("F4", ci)}, more than the tolerance {options.MaxDrop!.Value.ToString(ci)} " +
                $"(p = {ComparisonText.P(c.PDrop)}, not significant at alpha {options.Alpha.ToString(ci)}).{across}",
            GateOutcome.BelowMinRecovery =>
                $"Accuracy {c.CandidateAccuracy.ToString("F4", ci)} is {(c.CandidateAccuracy / c.BaselineAccuracy).ToString("P1", ci)} of the approved " +
                $"{c.BaselineAccuracy.ToString("F4", ci)}, below the required recovery {options.MinRecovery!.Value.ToString("P0", ci)}.{across}",
            GateOutcome.SignificantImprovement =>
                $"Accuracy improved significantly: delta {delta} (p = {ComparisonText.P(c.PImprovement)}). Accept the received snapshot to ratchet " +
                $"the baseline (dotnet icl-prune snapshots accept).{across}",
            GateOutcome.NotComparable =>
                $"Not comparable: the seeds changed and a side has a single seed, so the seed-to-seed spread (which a seed change adds) is unknown. " +
                $"Use the approved seeds, or at least two seeds on each side, or re-approve the snapshot (delta {delta}).{across}",
            GateOutcome.WithinNoise =>
                $"Accuracy changed by {delta}, not a significant drop (one-sided p = {ComparisonText.P(c.PDrop)} >= alpha {options.Alpha.ToString(ci)}).{across}",
            _ => $"Every item scored the same as the approved snapshot.{across}",
        };
    }

    static string Describe(InputChange c) => c.Kind switch
    {
        InputKind.Model => $"a model change ({c.Approved} -> {c.Received})",
        InputKind.Specs => $"a prune-spec change ({c.Approved} -> {c.Received})",
        InputKind.Environment => $"a {c.Field} change ({c.Approved} -> {c.Received})",
        _ => $"a {c.Field} change ({c.Approved} -> {c.Received})",
    };

    static bool Required(InputKind kind, GateOptions o) =>
        kind switch { InputKind.Model => o.RequireSameModel, InputKind.Specs => o.RequireSameSpecs, InputKind.Environment => o.RequireSameEnvironment, _ => false };

    static string KindName(InputKind kind) =>
        kind switch { InputKind.Model => "model", InputKind.Specs => "prune specs", InputKind.Environment => "environment", _ => kind.ToString() };

    /// <summary>Both sides' item scores, keyed alike: by item key, or by position when either file predates item keys (schema 1).</summary>
    static (ItemScores Approved, ItemScores Received) PairableScores(SnapshotDocument approved, SnapshotDocument received, string approvedSource)
    {
        var a = approved.Scores(approvedSource);
        var r = received.Scores("received");
        if (approved.Items is not null && received.Items is not null) return (a, r);
        return (ByPosition(a), ByPosition(r));
    }

    static ItemScores ByPosition(ItemScores s) => s with { Keys = Enumerable.Range(0, s.Items).Select(i => $"#{i}").ToArray() };

    static InputChange? ItemsChange(ItemScores approved, ItemScores received)
    {
        var missing = approved.Keys.Except(received.Keys).ToArray();
        var added = received.Keys.Except(approved.Keys).ToArray();
        if (missing.Length == 0 && added.Length == 0) return null;
        return new InputChange(InputKind.Items, "items",
            $"{approved.Items} items", $"{received.Items} items ({missing.Length} no longer scored{Sample(missing)}, {added.Length} new{Sample(added)})");
    }

    static string Sample(string[] keys) => keys.Length == 0 ? "" : ": " + string.Join(", ", keys.Take(3)) + (keys.Length > 3 ? ", ..." : "");

    public static IReadOnlyList<InputChange> Changes(SnapshotDocument a, SnapshotDocument r)
    {
        var changes = new List<InputChange>();
        void Check(InputKind kind, string field, string approved, string received)
        {
            if (!string.Equals(approved, received, StringComparison.Ordinal)) changes.Add(new InputChange(kind, field, approved, received));
        }
        Check(InputKind.Items, "task", a.Task.Id, r.Task.Id);
        Check(InputKind.Items, "split", a.Task.Split, r.Task.Split);
        Check(InputKind.Items, "task fingerprint (template, label words, data)", a.Task.Fingerprint, r.Task.Fingerprint);
        Check(InputKind.Items, "shots", a.Shots.ToString(CultureInfo.InvariantCulture), r.Shots.ToString(CultureInfo.InvariantCulture));
        // The fingerprint (config + weights) decides whether it is the same model; the id is only how it was named.
        if (a.Model.Fingerprint != r.Model.Fingerprint)
            changes.Add(new InputChange(InputKind.Model, "model", ModelText(a), ModelText(r)));
        Check(InputKind.Specs, "prune specs", List(a.PruneSpecs), List(r.PruneSpecs));
        // The device type decides the kernels (cuda:0 and cuda:1 run the same ones); the index does not.
        Check(InputKind.Environment, "device", DeviceType(a.Device), DeviceType(r.Device));
        Check(InputKind.Environment, "dtype", a.DType, r.DType);
        Check(InputKind.Environment, "backend", a.Backend, r.Backend);
        if (a.BatchSize > 0 && r.BatchSize > 0)
            Check(InputKind.Environment, "batch size", a.BatchSize.ToString(CultureInfo.InvariantCulture), r.BatchSize.ToString(CultureInfo.InvariantCulture));
        Check(InputKind.Run, "seeds", List(a.Seeds), List(r.Seeds));
        if (a.ToolVersion is not null && r.ToolVersion is not null) Check(InputKind.Run, "tool version", a.ToolVersion, r.ToolVersion);
        return changes;
    }

    static string ModelText(SnapshotDocument d) => $"{d.Model.Id} (fingerprint {d.Model.Fingerprint[..Math.Min(12, d.Model.Fingerprint.Length)]}..)";

    static string DeviceType(string device) => device.Split(':')[0].Trim().ToLowerInvariant();

    static string List<T>(IEnumerable<T> items) => "[" + string.Join(", ", items) + "]";
}
