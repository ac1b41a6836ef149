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
        if (document.SchemaVersion != SnapshotDocument.CurrentSchemaVersion)
            throw new IclPrune.IclPruneException(
                $"{path}: schema_version {document.SchemaVersion} is not supported (expected {SnapshotDocument.CurrentSchemaVersion}).");
        for (int s = 0; s < document.PerSeed.Count; s++)
            document.PerSeed[s].DecodeItems($"{path}: perSeed[{s}].items"); // validate now, not in the middle of a gate
        return document;
    }

    public static SnapshotDocument Read(string path) => Deserialize(File.ReadAllText(path), path);
}
