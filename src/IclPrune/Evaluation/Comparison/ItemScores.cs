namespace IclPrune.Evaluation.Comparison;

/// <summary>
/// One side of a paired comparison, reduced to what the item-clustered test needs: for each scored item (by its
/// key, see Data.ItemKey) how many of this side's seeds got it right. Every seed scores every item, so the seed count
/// is one number per side; accuracy is the mean over items of Correct/Seeds, which equals the mean of the per-seed
/// accuracies.
/// </summary>
/// SeedIds and SeedAccuracies describe the seeds themselves: when the two sides of a comparison used different seeds,
/// the seed is a random factor of its own and the comparison needs them (see <see cref="AccuracyComparison"/>).
public sealed record ItemScores(IReadOnlyList<string> Keys, IReadOnlyList<int> Correct, int Seeds,
    IReadOnlyList<string>? Previews = null, IReadOnlyList<int>? SeedIds = null, IReadOnlyList<double>? SeedAccuracies = null)
{
    public int Items => Keys.Count;
    public double Accuracy => Keys.Count == 0 ? 0 : Correct.Sum() / ((double)Keys.Count * Seeds);
    public double MeanOf(int item) => (double)Correct[item] / Seeds;

    /// <param name="keys">Item keys; null for results written before item keys existed (items are then named by position).</param>
    /// <param name="perSeedCorrect">Each seed's correctness, item i of every list being item i of <paramref name="keys"/>.</param>
    /// <param name="source">Where the data came from, for error messages.</param>
    /// <param name="seedIds">The seed of each list in <paramref name="perSeedCorrect"/>.</param>
    public static ItemScores Of(IReadOnlyList<string>? keys, IReadOnlyList<IReadOnlyList<bool>> perSeedCorrect, string source,
        IReadOnlyList<string>? previews = null, IReadOnlyList<int>? seedIds = null)
    {
        if (perSeedCorrect.Count == 0) throw new IclPruneException($"{source}: no seeds were scored, so there is nothing to compare.");
        int n = perSeedCorrect[0].Count;
        for (int s = 1; s < perSeedCorrect.Count; s++)
            if (perSeedCorrect[s].Count != n)
                throw new IclPruneException($"{source}: seed #{s} scored {perSeedCorrect[s].Count} items, seed #0 scored {n}; every seed must score the same items.");
        keys ??= Enumerable.Range(0, n).Select(i => $"#{i}").ToArray();
        if (keys.Count != n) throw new IclPruneException($"{source}: {keys.Count} item keys for {n} scored items.");
        if (keys.Distinct().Count() != n) throw new IclPruneException($"{source}: the item keys repeat; each scored item needs its own key.");
        var correct = new int[n];
        foreach (var seed in perSeedCorrect)
            for (int i = 0; i < n; i++)
                if (seed[i]) correct[i]++;
        if (seedIds is not null && (seedIds.Count != perSeedCorrect.Count || seedIds.Distinct().Count() != seedIds.Count))
            throw new IclPruneException($"{source}: {seedIds.Count} seed ids for {perSeedCorrect.Count} seeds, or a seed repeats.");
        var accuracies = perSeedCorrect.Select(seed => n == 0 ? 0 : seed.Count(c => c) / (double)n).ToArray();
        return new ItemScores(keys, correct, perSeedCorrect.Count, previews, seedIds, accuracies);
    }

    public static ItemScores Of(EvaluationResult result, string source) =>
        Of(result.ItemKeys, result.PerSeed.Select(s => s.ItemCorrect).ToArray(), source, result.ItemPreviews,
            result.PerSeed.Select(s => s.Seed).ToArray());

    /// <summary>Whether both sides used the same demonstration seeds (unknown seed ids count as different).</summary>
    public bool SameSeedsAs(ItemScores other) =>
        SeedIds is not null && other.SeedIds is not null && SeedIds.Order().SequenceEqual(other.SeedIds.Order());
}
