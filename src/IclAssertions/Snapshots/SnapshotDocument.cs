using System.Text.Json.Serialization;
using IclPrune.Evaluation;

namespace IclAssertions.Snapshots;

/// <summary>
/// What an approved snapshot (.verified.json) holds: the inputs that must match for a comparison to mean anything
/// (fingerprints, prune specs, shots, seeds, device, dtype) and the paired evidence (per-item correctness per seed).
/// Timing is left out on purpose: it changes on every run and would make every snapshot differ.
/// </summary>
public sealed record SnapshotDocument
{
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyOrder(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [JsonPropertyOrder(1)] public required ModelIdentity Model { get; init; }
    [JsonPropertyOrder(2)] public required TaskIdentity Task { get; init; }
    [JsonPropertyOrder(3)] public IReadOnlyList<string> PruneSpecs { get; init; } = [];
    [JsonPropertyOrder(4)] public required int Shots { get; init; }
    [JsonPropertyOrder(5)] public required IReadOnlyList<int> Seeds { get; init; }
    [JsonPropertyOrder(6)] public required string Device { get; init; }
    [JsonPropertyOrder(7), JsonPropertyName("dtype")] public required string DType { get; init; }
    [JsonPropertyOrder(8)] public required string Backend { get; init; }
    /// <summary>Mean accuracy over seeds, rounded to 6 decimals (for reading; the gate uses the items).</summary>
    [JsonPropertyOrder(9)] public required double Accuracy { get; init; }
    [JsonPropertyOrder(10)] public required IReadOnlyList<SeedSnapshot> PerSeed { get; init; }

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
        Accuracy = Math.Round(result.Accuracy, 6),
        PerSeed = result.PerSeed.Select(SeedSnapshot.From).ToArray(),
    };
}

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
