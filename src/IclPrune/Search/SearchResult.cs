using System.Text.Json.Serialization;
using IclPrune.Evaluation;

namespace IclPrune.Search;

/// <summary>Everything Algorithm 1 decided and measured (the `search` JSON; docs/pruning.md). Racing: only with search --racing.</summary>
public sealed record SearchResult(
    string Module,
    int TopK,
    string ConditionReduce,
    IReadOnlyList<LayerConditionSummary> Conditions,
    IReadOnlyList<int> TopLayers,
    int ChosenLayer,
    IReadOnlyList<CurvePoint> ValidationCurve,
    decimal BestRate,
    string? BestSpec,
    TestComparison Test,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RacingSummary? Racing = null);

/// <summary>One layer's reduced condition number and its matrices' numbers.</summary>
public sealed record LayerConditionSummary(int Layer, double ConditionNumber, IReadOnlyList<Pruning.MatrixCondition> Matrices);

/// <summary>
/// One rate of the validation curve. Improved: strictly better than the best before it (and so taken). Under racing, a
/// dropped rate's Correct / N count only the items it was scored on.
/// </summary>
public sealed record CurvePoint(decimal Rate, string Spec, double Accuracy, int Correct, int N, bool Improved);

/// <summary>
/// Test accuracy unpruned vs pruned at xi*: the pooled paired comparison (the same item-clustered test the snapshot
/// gate uses: Evaluation.Comparison.AccuracyComparison) and, for reading, per-seed rows with their exact McNemar p.
/// </summary>
public sealed record TestComparison(
    string? PrunedSpec, double BaselineAccuracy, double PrunedAccuracy, IReadOnlyList<SeedComparison> PerSeed,
    Evaluation.Comparison.AccuracyComparison Paired);

/// <summary>One seed: both accuracies with 95% CIs, discordant counts and the exact McNemar p-value of the change.</summary>
public sealed record SeedComparison(
    int Seed, int N, double BaselineAccuracy, Interval BaselineCi95, double PrunedAccuracy, Interval PrunedCi95,
    int BaselineOnlyCorrect, int PrunedOnlyCorrect, double McNemarP);
