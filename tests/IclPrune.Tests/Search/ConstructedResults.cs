using IclPrune.Evaluation;

namespace IclPrune.Tests.Search;

/// <summary>Evaluation results built from given per-item outcomes (what an evaluator would return for them).</summary>
static class ConstructedResults
{
    public static EvaluationResult Of(IReadOnlyList<string> specs, string split, params bool[][] perSeedItems)
    {
        var seeds = perSeedItems.Select((items, i) =>
        {
            int correct = items.Count(x => x);
            double acc = (double)correct / items.Length;
            return new SeedResult(100 + i, items.Length, correct, acc, new Interval(acc - 0.1, acc + 0.1), items);
        }).ToList();
        double mean = seeds.Average(s => s.Accuracy);
        double std = seeds.Count > 1 ? Math.Sqrt(seeds.Sum(s => (s.Accuracy - mean) * (s.Accuracy - mean)) / (seeds.Count - 1)) : 0;
        return new EvaluationResult
        {
            Model = new ModelIdentity("constructed", "m0"),
            Task = new TaskIdentity("constructed", split, "t0"),
            PruneSpecs = specs,
            Shots = 4,
            Seeds = seeds.Select(s => s.Seed).ToList(),
            Device = "cpu",
            DType = "float32",
            Backend = "cpu",
            Accuracy = mean,
            AccuracyStd = std,
            PerSeed = seeds,
            Timing = new Timing(0, 0, 0),
        };
    }

    /// <summary>n items of which the first <paramref name="correct"/> are right.</summary>
    public static bool[] FirstCorrect(int n, int correct) => Enumerable.Range(0, n).Select(i => i < correct).ToArray();
}
