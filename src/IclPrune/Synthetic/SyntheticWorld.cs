namespace IclPrune.Synthetic;

/// <summary>
/// The hidden structure behind every synthetic task: made-up item words in <see cref="CategoryCount"/> categories of
/// fixed membership, and a pool of made-up label words. Which label names a category is NOT part of the world:
/// training draws it anew for every prompt, so only the demonstrations of a prompt can tell it.
/// Everything is a pure function of the seed.
/// </summary>
public sealed class SyntheticWorld
{
    /// <summary>The world the bundled tiny model was trained on and the built-in tasks use.</summary>
    public const int DefaultSeed = 20240607;
    public const int DefaultCategories = 16;
    public const int DefaultItemsPerCategory = 24;
    public const int DefaultLabelPool = 32;

    public int Seed { get; }
    public int CategoryCount { get; }
    public int ItemsPerCategory { get; }
    /// <summary>Item words by category: Items[c][j].</summary>
    public IReadOnlyList<IReadOnlyList<string>> Items { get; }
    /// <summary>Words used as labels; disjoint from the items.</summary>
    public IReadOnlyList<string> LabelWords { get; }

    SyntheticWorld(int seed, int categories, int itemsPerCategory, IReadOnlyList<IReadOnlyList<string>> items,
        IReadOnlyList<string> labelWords)
    {
        Seed = seed;
        CategoryCount = categories;
        ItemsPerCategory = itemsPerCategory;
        Items = items;
        LabelWords = labelWords;
    }

    public static SyntheticWorld Create(int seed = DefaultSeed, int categories = DefaultCategories,
        int itemsPerCategory = DefaultItemsPerCategory, int labelPool = DefaultLabelPool)
    {
        if (categories < 4) throw new UsageException($"categories {categories}: the built-in tasks need at least 4.");
        if (itemsPerCategory < 4) throw new UsageException($"items per category {itemsPerCategory}: need at least 4.");
        if (labelPool < 4) throw new UsageException($"label pool {labelPool}: need at least 4 label words.");
        var random = new Random(seed);
        // Template words are reserved so that no item or label collides with them.
        var taken = new HashSet<string>(SyntheticTemplate.ReservedWords, StringComparer.Ordinal);
        var labels = MadeUpWords.Draw(random, labelPool, taken);
        var items = new IReadOnlyList<string>[categories];
        for (int c = 0; c < categories; c++) items[c] = MadeUpWords.Draw(random, itemsPerCategory, taken);
        return new SyntheticWorld(seed, categories, itemsPerCategory, items, labels);
    }

    /// <summary>Every word that must be one token with its leading space: items, labels, then template words.</summary>
    public IEnumerable<string> SingleTokenWords =>
        Items.SelectMany(c => c).Concat(LabelWords).Concat(SyntheticTemplate.ReservedWords);
}
