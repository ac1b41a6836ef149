using System.Text.Json;
using System.Text.Json.Serialization;

namespace IclAssertions.Snapshots;

/// <summary>Reads and writes .verified.json / .received.json: indented snake_case JSON (like every other output of the tool) with a stable field order.</summary>
public static class SnapshotSerializer
{
    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        RespectRequiredConstructorParameters = true,
    };

    public static string Serialize(SnapshotDocument document) => JsonSerializer.Serialize(document, Options) + "\n";

    public static SnapshotDocument Deserialize(string json, string path)
    {
        SnapshotDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<SnapshotDocument>(json, Options);
        }
        catch (JsonException e)
        {
            throw new IclPrune.IclPruneException($"{path}: not a valid snapshot ({e.Message}).", e);
        }
        if (document is null) throw new IclPrune.IclPruneException($"{path}: the file holds JSON null, expected a snapshot object.");
        if (document.SchemaVersion is < 1 or > SnapshotDocument.CurrentSchemaVersion)
            throw new IclPrune.IclPruneException(
                $"{path}: schema_version {document.SchemaVersion} is not supported (expected 1 to {SnapshotDocument.CurrentSchemaVersion}; " +
                "a newer IclPrune wrote it, so update the IclAssertions package).");
        if (document.PerSeed.Count == 0) throw new IclPrune.IclPruneException($"{path}: per_seed is empty; a snapshot needs at least one seed.");
        if (document.Items is { } items && items.Count != document.PerSeed[0].N)
            throw new IclPrune.IclPruneException($"{path}: items lists {items.Count} items but per_seed[0].n is {document.PerSeed[0].N}.");
        document.Scores(path); // validates the bits, the item counts and the keys now, not in the middle of a gate
        return document;
    }

    public static SnapshotDocument Read(string path) => Deserialize(File.ReadAllText(path), path);
}
