using System.Globalization;
using System.Text;
using IclPrune.Evaluation;
using NUnit.Framework.Constraints;

namespace IclAssertions.Constraints;

/// <summary>
/// `Has.AccuracyAtLeast(0.8)`: mean accuracy over seeds at least a floor; `.OnEverySeed()` asks it of each seed.
/// A plain threshold, no statistics: use it for sanity floors (above chance), and the snapshot gate for regressions.
/// </summary>
public sealed class AccuracyAtLeastConstraint : Constraint
{
    readonly double _minimum;
    bool _everySeed;

    public AccuracyAtLeastConstraint(double minimum) : base(minimum)
    {
        if (!(minimum >= 0 && minimum <= 1)) throw new ArgumentOutOfRangeException(nameof(minimum), $"accuracy floor {minimum} must lie in [0, 1].");
        _minimum = minimum;
    }

    public AccuracyAtLeastConstraint OnEverySeed() { _everySeed = true; return this; }

    public override string Description =>
        string.Create(CultureInfo.InvariantCulture, $"accuracy at least {_minimum}{(_everySeed ? " on every seed" : " (mean over seeds)")}");

    public override ConstraintResult ApplyTo<TActual>(TActual actual)
    {
        var result = ResultInput.AsResult(actual, "Has.AccuracyAtLeast");
        bool ok = _everySeed ? result.PerSeed.All(s => s.Accuracy >= _minimum) : result.Accuracy >= _minimum;
        return new GateConstraintResult(this, result.Accuracy, ok, $"Expected: {Description}\n{Table(result)}");
    }

    static string Table(EvaluationResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(string.Create(c, $"{"seed",6} {"n",6} {"correct",8} {"accuracy",9}  95% CI (Wilson)"));
        foreach (var s in r.PerSeed)
            text.AppendLine(string.Create(c, $"{s.Seed,6} {s.N,6} {s.Correct,8} {s.Accuracy,9:F4}  [{s.Ci95.Low:F4}, {s.Ci95.High:F4}]"));
        text.Append(string.Create(c, $"mean accuracy {r.Accuracy:F4} (std {r.AccuracyStd:F4}) for {r.Model.Id} on {r.Task.Id}"));
        return text.ToString();
    }
}
