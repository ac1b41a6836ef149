using IclPrune.Evaluation;
using IclPrune.Evaluation.Statistics;

namespace IclPrune.Search;

/// <summary>Pairs two results of the same split seed by seed (same demonstrations, same items) for McNemar.</summary>
public static class SeedPairing
{
    public static IReadOnlyList<SeedComparison> PerSeed(EvaluationResult baseline, EvaluationResult pruned)
    {
        var comparisons = new List<SeedComparison>();
        foreach (var b in baseline.PerSeed)
        {
            var p = pruned.PerSeed.FirstOrDefault(s => s.Seed == b.Seed)
                ?? throw new InvalidOperationException($"seed {b.Seed} is in the baseline result but not in the pruned one.");
            var counts = PairedCounts.From(b.ItemCorrect, p.ItemCorrect);
            comparisons.Add(new SeedComparison(b.Seed, b.N, b.Accuracy, b.Ci95, p.Accuracy, p.Ci95,
                (int)counts.BaselineOnly, (int)counts.CandidateOnly, ExactMcNemar.TwoSidedPValue(counts)));
        }
        return comparisons;
    }
}
