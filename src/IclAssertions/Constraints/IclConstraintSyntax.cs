using IclAssertions.Constraints;
using IclPrune.Evaluation;
using NUnit.Framework;
using NUnit.Framework.Constraints;

namespace IclAssertions;

/// <summary>
/// NUnit-style syntax: `Is.Not.SignificantlyWorseThan(baseline)` (an extension of ConstraintExpression, so it
/// composes with Not/And/Or), `Is.SignificantlyWorseThan(baseline)` and `Has.AccuracyAtLeast(0.8)` (C# 14 static
/// extensions on NUnit's own Is and Has, so no second `Is` class fights NUnit's for the name).
/// </summary>
public static class IclConstraintSyntax
{
    public static SignificantlyWorseThanConstraint SignificantlyWorseThan(this ConstraintExpression expression, EvaluationResult baseline) =>
        (SignificantlyWorseThanConstraint)expression.Append(new SignificantlyWorseThanConstraint(baseline));

    public static AccuracyAtLeastConstraint AccuracyAtLeast(this ConstraintExpression expression, double minimum) =>
        (AccuracyAtLeastConstraint)expression.Append(new AccuracyAtLeastConstraint(minimum));

    extension(Is)
    {
        public static SignificantlyWorseThanConstraint SignificantlyWorseThan(EvaluationResult baseline) => new(baseline);
    }

    extension(Has)
    {
        public static AccuracyAtLeastConstraint AccuracyAtLeast(double minimum) => new(minimum);
    }
}
