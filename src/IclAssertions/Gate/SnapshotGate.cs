using System.Globalization;
using IclAssertions.Snapshots;

namespace IclAssertions.Gate;

/// <summary>
/// Decides a received snapshot against the approved one. Order matters: first "are these comparable at all"
/// (inputs, then device/dtype: Inconclusive), then "is it a significant drop" (exact McNemar, pooled over seeds),
/// then the optional absolute tolerance, then "is it a significant improvement". Everything else is noise.
/// </summary>
public static class SnapshotGate
{
    public static GateVerdict Decide(SnapshotDocument approved, SnapshotDocument received, GateOptions? options = null,
        string approvedSource = "approved")
    {
        options = (options ?? GateOptions.Default).Validate();
        var inputs = InputDifferences(approved, received);
        if (inputs.Count > 0)
            return new GateVerdict(GateOutcome.InputsChanged,
                "The inputs changed since the snapshot was approved, so accuracies are not comparable; re-approve the snapshot:",
                inputs, null, options);
        var environment = EnvironmentDifferences(approved, received);
        if (environment.Count > 0)
            return new GateVerdict(GateOutcome.EnvironmentChanged,
                "The snapshot was approved on a different device/dtype; results are not compared across them:",
                environment, null, options);

        var report = ComparisonReport.Compare(SeedItems.Of(approved, approvedSource), SeedItems.Of(received, "received"),
            "approved", "received");
        return new GateVerdict(Classify(report, options), Summarize(report, options), [], report, options);
    }

    /// <summary>The same decision for a candidate against a baseline that is not a snapshot (no input checks).</summary>
    public static GateOutcome Classify(ComparisonReport report, GateOptions options)
    {
        double drop = -report.Difference;
        if (report.Difference < 0 && report.PValue < options.Alpha) return GateOutcome.SignificantDrop;
        if (options.MaxDrop is { } maxDrop && drop > maxDrop + 1e-12) return GateOutcome.DropBeyondTolerance;
        if (report.Difference > 0 && report.PValue < options.Alpha) return GateOutcome.SignificantImprovement;
        return report.AnyItemChanged ? GateOutcome.WithinNoise : GateOutcome.Identical;
    }

    static string Summarize(ComparisonReport report, GateOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        string delta = report.Difference.ToString("+0.0000;-0.0000;0.0000", c);
        string p = ComparisonReport.FormatP(report.PValue);
        return Classify(report, options) switch
        {
            GateOutcome.SignificantDrop => $"Accuracy dropped significantly: {delta} (exact McNemar p = {p} < alpha {options.Alpha.ToString(c)}).",
            GateOutcome.DropBeyondTolerance => $"Accuracy dropped by {(-report.Difference).ToString("F4", c)}, more than the tolerance {options.MaxDrop!.Value.ToString(c)} (p = {p}, not significant at alpha {options.Alpha.ToString(c)}).",
            GateOutcome.SignificantImprovement => $"Accuracy improved significantly: {delta} (p = {p}). Accept the received snapshot to ratchet the baseline (dotnet icl-prune snapshots accept).",
            GateOutcome.WithinNoise => $"Accuracy changed by {delta}, within noise (p = {p} >= alpha {options.Alpha.ToString(c)}).",
            _ => "Every item scored the same as the approved snapshot.",
        };
    }

    public static IReadOnlyList<string> InputDifferences(SnapshotDocument a, SnapshotDocument r)
    {
        var diffs = new List<string>();
        void Check(string field, string approved, string received)
        {
            if (!string.Equals(approved, received, StringComparison.Ordinal)) diffs.Add($"{field}: approved {approved}, received {received}");
        }
        // The fingerprint (config + weights) decides whether it is the same model; the id is how it was named
        // (a folder path differs between machines), so it only shows in the diff.
        Check("model.fingerprint", a.Model.Fingerprint, r.Model.Fingerprint);
        Check("task.id", a.Task.Id, r.Task.Id);
        Check("task.split", a.Task.Split, r.Task.Split);
        Check("task.fingerprint (template, label words, data)", a.Task.Fingerprint, r.Task.Fingerprint);
        Check("pruneSpecs", List(a.PruneSpecs), List(r.PruneSpecs));
        Check("shots", a.Shots.ToString(CultureInfo.InvariantCulture), r.Shots.ToString(CultureInfo.InvariantCulture));
        Check("seeds", List(a.Seeds), List(r.Seeds));
        if (diffs.Count == 0)
            Check("items per seed (n)", List(a.PerSeed.Select(s => s.N)), List(r.PerSeed.Select(s => s.N)));
        return diffs;
    }

    public static IReadOnlyList<string> EnvironmentDifferences(SnapshotDocument a, SnapshotDocument r)
    {
        var diffs = new List<string>();
        // The device type decides the kernels (cuda:0 and cuda:1 run the same ones); the index does not.
        if (!string.Equals(DeviceType(a.Device), DeviceType(r.Device), StringComparison.OrdinalIgnoreCase)) diffs.Add($"device: approved {a.Device}, received {r.Device}");
        if (!string.Equals(a.DType, r.DType, StringComparison.OrdinalIgnoreCase)) diffs.Add($"dtype: approved {a.DType}, received {r.DType}");
        return diffs;
    }

    static string DeviceType(string device) => device.Split(':')[0].Trim();

    static string List<T>(IEnumerable<T> items) => "[" + string.Join(", ", items) + "]";
}
