using System.Text.Json.Serialization;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Comparison;

namespace IclAssertions.Snapshots;

/// <summary>
/// What an approved snapshot (.verified.json) holds: the results schema (docs/results-schema.md) minus timing, plus
/// the scored items' keys. The gate pairs by those keys; the other fields say what a comparison crossed (model,
/// prune specs, device, dtype, backend, batch size, tool version, seeds) or make the snapshot stale (task, split,
/// task fingerprint, shots, items). Timing is left out on purpose: it changes on every run.
/// Schema 1 (before item keys) still loads: its items are then named by position.
/// </summary>
public sealed record SnapshotDocument
{
    public const int CurrentSchemaVersion = 2;

    [JsonPropertyOrder(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [JsonPropertyOrder(1)] public required ModelIdentity Model { get; init; }
    [JsonPropertyOrder(2)] public required TaskIdentity Task { get; init; }
    [JsonPropertyOrder(3)] public IReadOnlyList<string> PruneSpecs { get; init; } = [];
    [JsonPropertyOrder(4)] public required int Shots { get; init; }
    [JsonPropertyOrder(5)] public required IReadOnlyList<int> Seeds { get; init; }
    [JsonPropertyOrder(6)] public required string Device { get; init; }
    [JsonPropertyOrder(7), JsonPropertyName("dtype")] public required string DType { get; init; }
    [JsonPropertyOrder(8)] public required string Backend { get; init; }
    /// <summary>0 in schema 1 files (not recorded then).</summary>
    [JsonPropertyOrder(9)] public int BatchSize { get; init; }
    /// <summary>The IclPrune version that produced it; null in schema 1 files.</summary>
    [JsonPropertyOrder(10)] public string? ToolVersion { get; init; }
    /// <summary>Mean accuracy over seeds, rounded to 6 decimals (for reading; the gate uses the items).</summary>
    [JsonPropertyOrder(11)] public required double Accuracy { get; init; }
    /// <summary>The scored items in per-seed order: key and a preview of the text. Null in schema 1 files.</summary>
    [JsonPropertyOrder(12)] public IReadOnlyList<SnapshotItem>? Items { get; init; }
    [JsonPropertyOrder(13)] public required IReadOnlyList<SeedSnapshot> PerSeed { get; init; }
    /// <summary>
    /// The gate settings of the test that wrote this file, so that `snapshots review` and `accept` judge a received
    /// file exactly as the test did. Not compared: changing alpha or a tolerance does not make a snapshot stale.
    /// </summary>
    [JsonPropertyOrder(14)] public Gate.GateOptions? Gate { get; init; }

    public static SnapshotDocument From(EvaluationResult result) => new()
    {
        Model = result.Model,
        Task = result.Task,
        PruneSpecs = result.PruneSpecs.ToArray(),
        Shots = result.Shots,
        Seeds = result.Seeds.ToArray(),
        Device = result.Device,
        DType = result.DType,
        Backend = result.Backend,
        BatchSize = result.BatchSize,
        ToolVersion = IclPrune.Runtime.ProductVersion.Current,
        Accuracy = Math.Round(result.Accuracy, 6),
        Items = result.ItemKeys?.Select((key, i) => new SnapshotItem(key, result.ItemPreviews?[i])).ToArray(),
        PerSeed = result.PerSeed.Select(SeedSnapshot.From).ToArray(),
    };

    /// <summary>Per-item correct counts over this snapshot's seeds, keyed for pairing.</summary>
    public ItemScores Scores(string source) =>
        ItemScores.Of(Items?.Select(i => i.Key).ToArray(),
            PerSeed.Select((s, i) => (IReadOnlyList<bool>)s.DecodeItems($"{source}: per_seed[{i}].items")).ToArray(),
            source, Items?.Select(i => i.Query ?? "").ToArray(), PerSeed.Select(s => s.Seed).ToArray());
}

/// <summary>One scored item: its key (split:row:hash of fields and gold label) and its text, for reviewers.</summary>
public sealed record SnapshotItem(string Key, string? Query);

/// <summary>One seed: item count, correct count, accuracy and the correctness bits (see <see cref="CorrectnessBits"/>).</summary>
public sealed record SeedSnapshot(int Seed, int N, int Correct, double Accuracy, string Items)
{
    public static SeedSnapshot From(SeedResult seed)
    {
        if (seed.ItemCorrect.Count != seed.N)
            throw new IclPrune.IclPruneException(
                $"Seed {seed.Seed}: N is {seed.N} but ItemCorrect has {seed.ItemCorrect.Count} entries; a snapshot needs one per item.");
        return new SeedSnapshot(seed.Seed, seed.N, seed.Correct, Math.Round(seed.Accuracy, 6), CorrectnessBits.Encode(seed.ItemCorrect));
    }

    public bool[] DecodeItems(string field) => CorrectnessBits.Decode(Items, N, field);
}
