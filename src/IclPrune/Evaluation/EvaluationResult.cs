namespace IclPrune.Evaluation;

/// <summary>
/// The outcome of one `eval` (schema in docs/results-schema.md). Shared by the CLI's JSON output, the pruning
/// search, sweeps and IclAssertions snapshots, so it carries everything a paired comparison needs: fingerprints
/// of what was measured and per-item correctness for every seed.
/// </summary>
public sealed record EvaluationResult
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required ModelIdentity Model { get; init; }
    public required TaskIdentity Task { get; init; }
    public IReadOnlyList<string> PruneSpecs { get; init; } = [];
    public required int Shots { get; init; }
    public required IReadOnlyList<int> Seeds { get; init; }
    public required string Device { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("dtype")]
    public required string DType { get; init; }
    public required string Backend { get; init; }
    /// <summary>Mean accuracy over seeds.</summary>
    public required double Accuracy { get; init; }
    /// <summary>Sample standard deviation of the per-seed accuracies (0 for one seed).</summary>
    public required double AccuracyStd { get; init; }
    public required IReadOnlyList<SeedResult> PerSeed { get; init; }
    public required Timing Timing { get; init; }
    /// <summary>Prompts that exceeded the context and lost whole demonstrations (never the query).</summary>
    public int TruncatedPrompts { get; init; }
    /// <summary>Which scored split rows ItemCorrect[i] refers to: "SPLIT:ROW" (source split and 0-based row) per item.</summary>
    public IReadOnlyList<string>? Items { get; init; }
    /// <summary>Stable keys of the scored items, "SPLIT:ROW:HASH" (Data.ItemKey), in ItemCorrect order: what paired comparisons join on.</summary>
    public IReadOnlyList<string>? ItemKeys { get; init; }
    /// <summary>Each scored item's field values, shortened (Data.ItemKey.Preview): how messages name the items that flipped.</summary>
    public IReadOnlyList<string>? ItemPreviews { get; init; }
    /// <summary>Whether the demonstrations' KV cache was reused (false: --no-cache).</summary>
    public bool UsedCache { get; init; } = true;
    public int BatchSize { get; init; }
}

/// <summary>Which model: the id the user gave and a fingerprint of its weights and config.</summary>
public sealed record ModelIdentity(string Id, string Fingerprint);

/// <summary>Which task: id, the split scored, and a fingerprint of template + label words + data.</summary>
public sealed record TaskIdentity(string Id, string Split, string Fingerprint);

/// <summary>One seed's demonstration set scored over the split. ItemCorrect[i] is item i of the split, in split order.</summary>
public sealed record SeedResult(int Seed, int N, int Correct, double Accuracy, Interval Ci95, IReadOnlyList<bool> ItemCorrect)
{
    /// <summary>Predicted class index per item (highest score, first on a tie); for confusion and majority-class checks.</summary>
    public IReadOnlyList<int>? Predictions { get; init; }
}

/// <summary>A closed interval [Low, High].</summary>
public sealed record Interval(double Low, double High);

public sealed record Timing(double Seconds, long Tokens, double TokensPerSecond);
