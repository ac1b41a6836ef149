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
    IReadOnlyList<int> LabelPoolIndices, int Shots, int TrainPerClass, int ValidationPerClass, int TestPerClass, bool Verbatim,
    int MislabelledPerClass = 0)
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

    /// <summary>
    /// The demo's unsaturated setting (issue 19): label noise in the demonstration pool. Of each category's 6 train
    /// items, 2 carry the NEXT class's label word, so a balanced draw of 2 demonstrations per label shows a wrong pair
    /// with probability 1/3 each: the in-context evidence is noisy, where the paper's theory says pruning a deep layer
    /// should help most (docs/tiny-model.md). Categories 10-13 are used by no other task. Not part of
    /// <see cref="BuiltIn"/>: training selects its checkpoint on those three, and the shipped model must stay reproducible.
    /// </summary>
    public static IReadOnlyList<SyntheticTask> Noisy { get; } =
    [
        new("synth-4way-noisy", "4 hidden categories, 8 demonstrations drawn from a pool where 1 in 3 items carries the wrong label word",
            SyntheticTemplate.Plain, [10, 11, 12, 13], [10, 11, 12, 13], Shots: 8, TrainPerClass: 6, ValidationPerClass: 4, TestPerClass: 14,
            Verbatim: false, MislabelledPerClass: 2),
    ];

    /// <summary>Every task `generate-synthetic` writes.</summary>
    public static IReadOnlyList<SyntheticTask> All { get; } = [.. BuiltIn, .. Noisy];

    public IReadOnlyList<string> LabelWords(SyntheticWorld world) => [.. LabelPoolIndices.Select(i => world.LabelWords[i])];

    /// <summary>
    /// Items of each class split into train (demonstration pool), validation and test, fixed by the world. For a
    /// verbatim task all three are the same items (the queries repeat the demonstrations).
    /// </summary>
    public SyntheticSplits Split(SyntheticWorld world)
    {
        if (Verbatim && (TrainPerClass * ClassCount != Shots || ValidationPerClass != TrainPerClass || TestPerClass != TrainPerClass))
            throw new IclPruneException($"task {Name}: a verbatim task needs train = validation = test items and train items = shots ({Shots}).");
        if (MislabelledPerClass < 0 || MislabelledPerClass >= TrainPerClass || (Verbatim && MislabelledPerClass > 0))
            throw new IclPruneException($"task {Name}: {MislabelledPerClass} mislabelled train items per class; expected 0 to {TrainPerClass - 1} (and 0 for a verbatim task).");
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
            // The first MislabelledPerClass train items of a category are labelled as the next class (label noise).
            train.Add([.. Take(0, TrainPerClass).Select((row, j) => j < MislabelledPerClass ? (row.Item1, (cls + 1) % ClassCount) : row)]);
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

/// <summary>The three splits of a synthetic task, as (item word, class index of its label word) rows.</summary>
public sealed record SyntheticSplits(
    IReadOnlyList<(string Item, int Class)> Train, IReadOnlyList<(string Item, int Class)> Validation,
    IReadOnlyList<(string Item, int Class)> Test);
