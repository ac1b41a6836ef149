using IclPrune.Evaluation;
using IclPrune.Evaluation.Statistics;

namespace IclAssertions.Tests.Support;

/// <summary>
/// Builds EvaluationResult objects from per-item correctness: the gate's input is data, so its tests construct it.
/// Accuracy, counts and Wilson intervals are computed from the items, never typed in.
/// </summary>
static class Evaluations
{
    public static EvaluationResult From(params bool[][] perSeedItems) => From(perSeedItems, taskFingerprint: "task-fp-1");

    public static EvaluationResult From(bool[][] perSeedItems, string taskFingerprint, string device = "cpu",
        string dtype = "float32", string modelFingerprint = "model-fp-1", IReadOnlyList<string>? pruneSpecs = null,
        IReadOnlyList<int>? seedIds = null, int shots = 8)
    {
        int n = perSeedItems[0].Length;
        var seeds = perSeedItems.Select((items, i) =>
        {
            int correct = items.Count(c => c);
            return new SeedResult(seedIds?[i] ?? i, items.Length, correct, (double)correct / items.Length,
                WilsonInterval.Compute(correct, items.Length), items);
        }).ToArray();
        double mean = seeds.Average(s => s.Accuracy);
        double std = seeds.Length < 2 ? 0 : Math.Sqrt(seeds.Sum(s => (s.Accuracy - mean) * (s.Accuracy - mean)) / (seeds.Length - 1));
        return new EvaluationResult
        {
            Model = new ModelIdentity("tiny", modelFingerprint),
            Task = new TaskIdentity("synthetic-antonyms", "test", taskFingerprint),
            PruneSpecs = pruneSpecs ?? [],
            Shots = shots,
            Seeds = seeds.Select(s => s.Seed).ToArray(),
            Device = device,
            DType = dtype,
            Backend = "cpu",
            Accuracy = mean,
            AccuracyStd = std,
            PerSeed = seeds,
            Timing = new Timing(1.0, 1000, 1000),
            ItemKeys = Enumerable.Range(0, n).Select(Key).ToArray(),
            ItemPreviews = Enumerable.Range(0, n).Select(i => $"query {i}").ToArray(),
        };
    }

    /// <summary>The key Evaluations gives item i (the shape of Data.ItemKey: split, row, content hash).</summary>
    public static string Key(int i) => $"test:{i}:{i:x12}";

    /// <summary>n items, the first `correct` right, in a fixed pseudo-random order (seeded) so seeds differ.</summary>
    public static bool[] Items(int n, int correct, int seed = 0)
    {
        var items = Enumerable.Range(0, n).Select(i => i < correct).ToArray();
        new Random(seed).Shuffle(items);
        return items;
    }

    /// <summary>A copy with `lost` right items turned wrong and `gained` wrong items turned right (first found).</summary>
    public static bool[] Flip(bool[] items, int lost, int gained)
    {
        var copy = items.ToArray();
        for (int i = 0; i < copy.Length && lost > 0; i++) if (items[i]) { copy[i] = false; lost--; }
        for (int i = copy.Length - 1; i >= 0 && gained > 0; i--) if (!items[i]) { copy[i] = true; gained--; }
        if (lost > 0 || gained > 0) throw new ArgumentException("not enough items to flip");
        return copy;
    }
}
