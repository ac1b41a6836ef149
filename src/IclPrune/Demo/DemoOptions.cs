namespace IclPrune.Demo;

/// <summary>
/// What `demo` runs. Defaults: the bundled tiny model; the accuracy-vs-shots curve on a clean and a label-noise 4-way
/// task; the sweep and Algorithm 1 on the label-noise task (unsaturated: the clean tasks are at 1.0 from 4 shots, where
/// no pruning can show an improvement; docs/tiny-model.md); 10 seeds, the paper's grid.
/// </summary>
public sealed record DemoOptions
{
    public string Model { get; init; } = "tiny";
    public IReadOnlyList<string> Tasks { get; init; } = ["synth-4way", "synth-4way-noisy"];
    /// <summary>The task of the layer x rate sweep and of Algorithm 1.</summary>
    public string PruningTask { get; init; } = "synth-4way-noisy";
    /// <summary>10 seeds: on the label-noise task the demonstration draw moves accuracy by +-0.2, and each item's
    /// outcome averaged over more draws is what gives the item-clustered test its power (the report states it).</summary>
    public IReadOnlyList<int> Seeds { get; init; } = DefaultSeeds;
    public static IReadOnlyList<int> DefaultSeeds { get; } = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    /// <summary>The paired change whose detection power the report states (the "5-point change").</summary>
    public double PowerShift { get; init; } = 0.05;
    /// <summary>
    /// The paper's grid without 0 (the unpruned model is the sweep's baseline and Algorithm 1's start anyway) and
    /// without 0.995 (on the tiny model's 64-wide matrices it keeps rank 1, exactly as 0.99 does): 24 sweep cells
    /// instead of 32, to keep the demo short. `sweep` and `search` still default to the full grid.
    /// </summary>
    public IReadOnlyList<decimal> Rates { get; init; } = [0.1m, 0.5m, 0.75m, 0.9m, 0.95m, 0.99m];
    public int BatchSize { get; init; } = 16;
    public required string OutFolder { get; init; }

    /// <summary>Shot counts of the accuracy-vs-shots curve: 0, powers of two, and the task's own count.</summary>
    public static IReadOnlyList<int> ShotsCurve(int taskShots) =>
        new[] { 0, 1, 2, 4, 8, 16 }.Where(s => s < taskShots).Append(taskShots).Distinct().Order().ToList();
}
