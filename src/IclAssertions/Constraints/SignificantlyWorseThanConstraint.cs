using System.Globalization;
using IclAssertions.Gate;
using IclPrune.Evaluation;
using NUnit.Framework.Constraints;

namespace IclAssertions.Constraints;

/// <summary>
/// `Is.Not.SignificantlyWorseThan(baseline)`: a paired comparison of two evaluations of the same task items and
/// seeds (say pruned vs unpruned). "Worse" means a significant drop (exact McNemar, alpha) or, with
/// <see cref="OrDroppingMoreThan"/>, a drop beyond an absolute tolerance. The result's actual value is the
/// <see cref="ComparisonReport"/>, so even through NUnit's `Not` the failure shows the per-seed table, the delta,
/// its 95% interval and the p-value. Inputs that cannot be paired (another task, other seeds) throw: pairing is
/// the premise of the test, never something to pass by default.
/// </summary>
public sealed class SignificantlyWorseThanConstraint : Constraint
{
    readonly EvaluationResult _baseline;
    GateOptions _options = GateOptions.Default;

    public SignificantlyWorseThanConstraint(EvaluationResult baseline) : base(baseline) => _baseline = baseline;

    public SignificantlyWorseThanConstraint WithAlpha(double alpha) { _options = (_options with { Alpha = alpha }).Validate(); return this; }

    public SignificantlyWorseThanConstraint OrDroppingMoreThan(double maxDrop) { _options = (_options with { MaxDrop = maxDrop }).Validate(); return this; }

    public override string Description =>
        string.Create(CultureInfo.InvariantCulture,
            $"significantly worse than {Label(_baseline)} (accuracy {_baseline.Accuracy:F4}; exact McNemar, alpha {_options.Alpha}") +
        (_options.MaxDrop is { } d ? string.Create(CultureInfo.InvariantCulture, $", or a drop over {d}") : "") + ")";

    public override ConstraintResult ApplyTo<TActual>(TActual actual)
    {
        var candidate = ResultInput.AsResult(actual, "SignificantlyWorseThan");
        if (candidate.Task.Id != _baseline.Task.Id || candidate.Task.Split != _baseline.Task.Split ||
            candidate.Task.Fingerprint != _baseline.Task.Fingerprint)
            throw new ArgumentException(
                $"Cannot pair: the baseline was scored on {_baseline.Task.Id}/{_baseline.Task.Split} ({_baseline.Task.Fingerprint}), " +
                $"the result on {candidate.Task.Id}/{candidate.Task.Split} ({candidate.Task.Fingerprint}). A paired test needs the same items.");
        var report = ComparisonReport.Compare(SeedItems.Of(_baseline), SeedItems.Of(candidate), "baseline", "result");
        var outcome = SnapshotGate.Classify(report, _options);
        bool worse = outcome.IsFailure();
        return new GateConstraintResult(this, report, worse,
            $"Expected: {(worse ? "not " : "")}{Description}\n{report}");
    }

    static string Label(EvaluationResult r) =>
        $"{r.Model.Id}" + (r.PruneSpecs.Count > 0 ? $" pruned {string.Join(" ", r.PruneSpecs)}" : "") + $" on {r.Task.Id}";
}
