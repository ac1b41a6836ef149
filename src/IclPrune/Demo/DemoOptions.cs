using IclPrune.Pruning;

namespace IclPrune.Demo;

/// <summary>What `demo` runs. Defaults: the bundled tiny model, its three synthetic tasks, 3 seeds, the paper's grid.</summary>
public sealed record DemoOptions
{
    public string Model { get; init; } = "tiny";
    public IReadOnlyList<string> Tasks { get; init; } = ["synth-2way", "synth-4way", "synth-recall"];
    /// <summary>The task of the layer x rate sweep and of Algorithm 1.</summary>
    public string PruningTask { get; init; } = "synth-4way";
    public IReadOnlyList<int> Seeds { get; init; } = [0, 1, 2];
    public IReadOnlyList<decimal> Rates { get; init; } = RateGrid.Paper;
    public int BatchSize { get; init; } = 16;
    public required string OutFolder { get; init; }

    /// <summary>Shot counts of the accuracy-vs-shots curve: 0, powers of two, and the task's own count.</summary>
    public static IReadOnlyList<int> ShotsCurve(int taskShots) =>
        new[] { 0, 1, 2, 4, 8, 16 }.Where(s => s < taskShots).Append(taskShots).Distinct().Order().ToList();
}
