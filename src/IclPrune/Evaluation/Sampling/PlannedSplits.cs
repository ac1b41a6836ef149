using IclPrune.Evaluation.Data;

namespace IclPrune.Evaluation.Sampling;

/// <summary>The demonstration pool and the two scored splits of a task, fixed by the task's split seed.</summary>
public sealed record PlannedSplits(IReadOnlyList<Example> DemonstrationPool, IReadOnlyList<Example> Validation, IReadOnlyList<Example> Test)
{
    public IReadOnlyList<Example> Scored(string split) => split switch
    {
        "validation" => Validation,
        "test" => Test,
        _ => throw new UsageException($"split '{split}' cannot be scored; expected validation or test."),
    };
}
