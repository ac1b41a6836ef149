namespace IclPrune.Search;

/// <summary>
/// The racing variant of Algorithm 1's rate search (docs/pruning.md, "Racing"; the paper's open question (iii)).
/// Stages: validation subsets doubling up to the whole split (4: 1/8, 1/4, 1/2, all). Alpha: the family-wise error
/// of dropping a rate that is as good as the best, spent evenly over the looks (a test after every stage but the
/// last), so each look runs Holm at Alpha / (Stages - 1). Seed: the item order (a seeded permutation of the split).
/// </summary>
public sealed record RacingOptions(int Stages = RacingOptions.DefaultStages, double Alpha = RacingOptions.DefaultAlpha, int Seed = 0)
{
    public const int DefaultStages = 4;
    public const double DefaultAlpha = 0.05;
    public const int MaxStages = 12;

    /// <summary>Alpha of one look: Bonferroni over the Stages - 1 looks (no test follows the last stage).</summary>
    public double AlphaPerLook => Stages > 1 ? Alpha / (Stages - 1) : Alpha;

    public void Validate()
    {
        if (Stages < 1 || Stages > MaxStages)
            throw new UsageException($"racing stages {Stages} is invalid: expected 1..{MaxStages} (4 scores 1/8, 1/4, 1/2 and all of the validation items).");
        if (!(Alpha > 0 && Alpha < 1))
            throw new UsageException($"racing alpha {Alpha} is invalid: expected a level strictly between 0 and 1, e.g. 0.05.");
    }

    /// <summary>
    /// Items scored by the end of each stage: ceil(items / 2^(stages - s)) for s = 1..stages, so the last stage is
    /// the whole split; equal sizes (a split smaller than 2^(stages-1)) collapse into one stage.
    /// </summary>
    public IReadOnlyList<int> StageSizes(int items)
    {
        if (items < 1) throw new IclPruneException($"racing needs at least one validation item, the split has {items}.");
        return Enumerable.Range(1, Stages)
            .Select(s => (int)Math.Ceiling(items / Math.Pow(2, Stages - s)))
            .Distinct()
            .ToList();
    }

    /// <summary>Positions 0..items-1 in a seeded order (Fisher-Yates over System.Random(Seed), stable across runs).</summary>
    public IReadOnlyList<int> ItemOrder(int items)
    {
        var order = Enumerable.Range(0, items).ToArray();
        new Random(Seed).Shuffle(order);
        return order;
    }
}
