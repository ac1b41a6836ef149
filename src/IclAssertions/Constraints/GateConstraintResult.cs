using IclAssertions.Gate;
using NUnit.Framework.Constraints;

namespace IclAssertions.Constraints;

/// <summary>A failure message that shows the gate's reasoning: the summary, differing fields, and the per-seed table.</summary>
sealed class GateConstraintResult : ConstraintResult
{
    readonly string _message;

    public GateConstraintResult(IConstraint constraint, object? actual, bool success, string message)
        : base(constraint, actual, success)
    {
        _message = message;
    }

    public override void WriteMessageTo(MessageWriter writer)
    {
        foreach (string line in _message.Split('\n'))
            writer.WriteLine(line.TrimEnd('\r'));
    }
}
