namespace IclPrune.Synthetic;

/// <summary>
/// One built-in synthetic ICL task: a few categories of a <see cref="SyntheticWorld"/>, each named by one FIXED label
/// word (training never tied any label word to any category: it re-drew them per prompt), a template, and how many
/// demonstrations a prompt gets. Train split = the demonstration pool; test split = the queries. When
/// <see cref="Verbatim"/> the test items ARE the train items (the query is repeated from the demonstrations: the
/// induction-head case); otherwise they are other items of the same categories (the model must generalise by category).
/// </summary>
public sealed record SyntheticTask(
    string Name, string Description, SyntheticTemplate Template, IReadOnlyList<int> Categories,
    IReadOnlyList<int> LabelPoolIndices, int Shots, int TrainPerClass, int ValidationPerClass, int TestPerClass, bool Verbatim)
{
    public int ClassCount => Categories.Count;

    /// <summary>Seed of the fixed demonstration draw used when a caller gives none (the paper uses one per task).</summary>
    public const int DefaultDemonstrationSeed = 42;

    /// <summary>The three built-in tasks (names are the task ids in task files and reports).</summary>
    public static IReadOnlyList<SyntheticTask> BuiltIn { get; } =
    [
        new("synth-2way", "2 hidden categories, 8 demonstrations, queries are unseen items of those categories",
            SyntheticTemplate.Plain, [0, 1], [0, 1], Shots: 8, TrainPerClass: 6, ValidationPerClass: 6, TestPerClass: 12, Verbatim: false),
        new("synth-4way", "4 hidden categories, 8 demonstrations, queries are unseen items of those categories",
            SyntheticTemplate.Plain, [2, 3, 4, 5], [2, 3, 4, 5], Shots: 8, TrainPerClass: 6, ValidationPerClass: 6, TestPerClass: 12, Verbatim: false),
        new("synth-recall", "4 hidden categories, 16 demonstrations; every query item appears verbatim among them",
            SyntheticTemplate.Plain, [6, 7, 8, 9], [6, 7, 8, 9], Shots: 16, TrainPerClass: 4, ValidationPerClass: 4, TestPerClass: 4, Verbatim: true),
    ];

    public IReadOnlyList<string> LabelWords(SyntheticWorld world) => [.. LabelPoolIndices.Select(i => world.LabelWords[i])];

    /// <summary>
    /// Items of each class split into train (demonstration pool), validation and test, fixed by the world. For a
    /// verbatim task all three are the same items (the queries repeat the demonstrations).
    /// </summary>
    public SyntheticSplits Split(SyntheticWorld world)
    {
        if (Verbatim && (TrainPerClass * ClassCount != Shots || ValidationPerClass != TrainPerClass || TestPerClass != TrainPerClass))
            throw new IclPruneException($"task {Name}: a verbatim task needs train = validation = test items and train items = shots ({Shots}).");
        var train = new List<List<(string, int)>>();
        var validation = new List<List<(string, int)>>();
        var test = new List<List<(string, int)>>();
        for (int cls = 0; cls < ClassCount; cls++)
        {
            var items = world.Items[Categories[cls]];
            int needed = Verbatim ? TrainPerClass : TrainPerClass + ValidationPerClass + TestPerClass;
            if (needed > items.Count)
                throw new IclPruneException($"task {Name}: needs {needed} items per category, the world has {items.Count}.");
            // Items are already in random order (drawn from the seed): consecutive runs make the splits.
            List<(string, int)> Take(int skip, int count) => [.. items.Skip(skip).Take(count).Select(item => (item, cls))];
            train.Add(Take(0, TrainPerClass));
            validation.Add(Verbatim ? Take(0, TrainPerClass) : Take(TrainPerClass, ValidationPerClass));
            test.Add(Verbatim ? Take(0, TrainPerClass) : Take(TrainPerClass + ValidationPerClass, TestPerClass));
        }
        return new SyntheticSplits(Interleave(train), Interleave(validation), Interleave(test));
    }

    // Rows ordered class 0, 1, ..., 0, 1, ... so any prefix of a split file is balanced.
    static IReadOnlyList<(string Item, int Class)> Interleave(List<List<(string, int)>> byClass) =>
        [.. Enumerable.Range(0, byClass.Max(l => l.Count)).SelectMany(i => byClass.Where(l => i < l.Count).Select(l => l[i]))];

    /// <summary>
    /// The paper's demonstration draw (docs/method.md section 3): <paramref name="shots"/> train items, class-balanced, a
    /// seeded choice within each class, interleaved by label (class 0, 1, ..., 0, 1, ...).
    /// </summary>
    public static IReadOnlyList<(string Item, int Class)> DrawDemonstrations(
        IReadOnlyList<(string Item, int Class)> train, int classCount, int shots, int seed)
    {
        var random = new Random(seed);
        var perClass = Enumerable.Range(0, classCount)
            .Select(c => train.Where(r => r.Class == c).OrderBy(_ => random.Next()).ToList()).ToList();
        var demos = new List<(string, int)>(shots);
        for (int i = 0; i < shots; i++)
        {
            int cls = i % classCount;
            int within = i / classCount;
            if (within >= perClass[cls].Count)
                throw new IclPruneException($"{shots} demonstrations need {within + 1} train items of class {cls}; there are {perClass[cls].Count}.");
            demos.Add(perClass[cls][within]);
        }
        return demos;
    }
}

/// <summary>The three splits of a synthetic task, as (item word, class index) rows.</summary>
public sealed record SyntheticSplits(
    IReadOnlyList<(string Item, int Class)> Train, IReadOnlyList<(string Item, int Class)> Validation,
    IReadOnlyList<(string Item, int Class)> Test);
