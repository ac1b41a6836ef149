using IclAssertions.Snapshots;
using IclPrune.Evaluation;

namespace IclAssertions.Gate;

/// <summary>One seed's per-item correctness, the unit the paired comparison works on.</summary>
public sealed record SeedItems(int Seed, IReadOnlyList<bool> Correct)
{
    public double Accuracy => Correct.Count == 0 ? 0 : Correct.Count(c => c) / (double)Correct.Count;

    public static IReadOnlyList<SeedItems> Of(EvaluationResult result) =>
        result.PerSeed.Select(s => new SeedItems(s.Seed, s.ItemCorrect)).ToArray();

    public static IReadOnlyList<SeedItems> Of(SnapshotDocument document, string source) =>
        document.PerSeed.Select((s, i) => new SeedItems(s.Seed, s.DecodeItems($"{source}: perSeed[{i}].items"))).ToArray();
}
