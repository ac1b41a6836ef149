using IclAssertions.Snapshots;
using IclPrune.Evaluation;

namespace IclAssertions.Constraints;

/// <summary>What the constraints accept as "actual": an EvaluationResult (or, for replaying, a snapshot document).</summary>
static class ResultInput
{
    public static SnapshotDocument AsDocument(object? actual, string constraint) => actual switch
    {
        EvaluationResult r => SnapshotDocument.From(r),
        SnapshotDocument d => d,
        _ => throw new ArgumentException(
            $"{constraint} applies to an IclPrune.Evaluation.EvaluationResult, got {actual?.GetType().FullName ?? "null"}."),
    };

    public static EvaluationResult AsResult(object? actual, string constraint) => actual as EvaluationResult
        ?? throw new ArgumentException(
            $"{constraint} applies to an IclPrune.Evaluation.EvaluationResult, got {actual?.GetType().FullName ?? "null"}.");
}
