using IclPrune.Evaluation.Data;

namespace IclPrune.Evaluation.Sampling;

/// <summary>The demonstration pool and the two scored splits of a task, fixed by the task's split seed.</summary>
public sealed record PlannedSplits(IReadOnlyList<Example> DemonstrationPool, IReadOnlyList<Example> Validation, IReadOnlyList<Example> Test)
{
    public IReadOnlyList<Example> Scored(SplitRole split) => split == SplitRole.Validation ? Validation : Test;
}
