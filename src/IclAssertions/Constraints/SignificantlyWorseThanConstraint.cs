using System.Globalization;
using IclAssertions.Gate;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Comparison;
using NUnit.Framework.Constraints;

namespace IclAssertions.Constraints;

/// <summary>
/// `Is.Not.SignificantlyWorseThan(baseline)`: a paired comparison of two evaluations of the same task items (say
/// pruned vs unpruned), by item key, each item's correctness averaged over its seeds (the seed sets may differ).
/// "Worse" means a significant drop (one-sided item-clustered sign-flip test at alpha) or, with
/// <see cref="OrDroppingMoreThan"/>, a drop beyond an absolute tolerance. The result's actual value is the
/// <see cref="AccuracyComparison"/>, so even through NUnit's `Not` the failure shows the delta, its interval, the
/// p-value and the items that flipped. Inputs that cannot be paired (another task or prompt) throw: pairing is the
/// premise of the test, never something to pass by default.
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
            $"significantly worse than {Label(_baseline)} (accuracy {_baseline.Accuracy:F4}; item-clustered sign-flip test, one-sided alpha {_options.Alpha}") +
        (_options.MaxDrop is { } d ? string.Create(CultureInfo.InvariantCulture, $", or a drop over {d}") : "") + ")";

    public override ConstraintResult ApplyTo<TActual>(TActual actual)
    {
        var candidate = ResultInput.AsResult(actual, "SignificantlyWorseThan");
        if (candidate.Task.Id != _baseline.Task.Id || candidate.Task.Split != _baseline.Task.Split ||
            candidate.Task.Fingerprint != _baseline.Task.Fingerprint || candidate.Shots != _baseline.Shots)
            throw new ArgumentException(
                $"Cannot pair: the baseline was scored on {_baseline.Task.Id}/{_baseline.Task.Split} ({_baseline.Task.Fingerprint}) with {_baseline.Shots} shots, " +
                $"the result on {candidate.Task.Id}/{candidate.Task.Split} ({candidate.Task.Fingerprint}) with {candidate.Shots}. A paired test needs the same items and prompts.");
        var comparison = AccuracyComparison.Compare(_baseline, candidate, "baseline", "result");
        bool worse = SnapshotGate.Classify(comparison, _options) is GateOutcome.SignificantDrop or GateOutcome.DropBeyondTolerance;
        string text = ComparisonText.Paired(comparison, _options.Alpha, "baseline", "result");
        return new GateConstraintResult(this, new ComparisonEvidence(comparison, text), worse, $"Expected: {(worse ? "not " : "")}{Description}\n{text}");
    }

    /// <summary>The actual value NUnit prints (also through `Not`, which writes its own message): the comparison as text.</summary>
    public sealed record ComparisonEvidence(AccuracyComparison Comparison, string Text)
    {
        public override string ToString() => Text;
    }

    static string Label(EvaluationResult r) =>
        $"{r.Model.Id}" + (r.PruneSpecs.Count > 0 ? $" pruned {string.Join(" ", r.PruneSpecs)}" : "") + $" on {r.Task.Id}";
}
