using IclPrune.Evaluation;
using IclPrune.Evaluation.Statistics;

namespace IclPrune.Search;

/// <summary>Pairs two results of the same split seed by seed (same demonstrations, same items) for McNemar.</summary>
public static class PairedComparison
{
    public static IReadOnlyList<SeedComparison> PerSeed(EvaluationResult baseline, EvaluationResult pruned)
    {
        var comparisons = new List<SeedComparison>();
        foreach (var b in baseline.PerSeed)
        {
            var p = pruned.PerSeed.FirstOrDefault(s => s.Seed == b.Seed)
                ?? throw new InvalidOperationException($"seed {b.Seed} is in the baseline result but not in the pruned one.");
            var (onlyBase, onlyPruned) = ExactMcNemar.Discordant(b.ItemCorrect, p.ItemCorrect);
            comparisons.Add(new SeedComparison(b.Seed, b.N, b.Accuracy, b.Ci95, p.Accuracy, p.Ci95,
                onlyBase, onlyPruned, ExactMcNemar.PValue(onlyBase, onlyPruned)));
        }
        return comparisons;
    }
}
