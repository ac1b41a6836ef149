using System.Text.Json;
using System.Text.Json.Serialization;
using IclPrune.Output;

namespace IclPrune.Evaluation;

/// <summary>
/// The results file format (docs/results-schema.md): snake_case keys, per-item correctness as a compact string of
/// '1'/'0' per item. Use these methods (not ad-hoc serializer options) so every reader and writer agrees.
/// </summary>
public static class EvaluationResultJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new BitStringConverter() },
    };

    public static string Serialize(EvaluationResult result) => JsonSerializer.Serialize(result, Options);

    public static EvaluationResult Deserialize(string json, string source = "results JSON")
    {
        EvaluationResult? result;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("schema_version", out var version) || version.ValueKind != JsonValueKind.Number)
                throw new IclPruneException($"{source}: no schema_version; expected an icl-prune results file.");
            if (version.GetInt32() > EvaluationResult.CurrentSchemaVersion)
                throw new IclPruneException($"{source}: schema_version {version.GetInt32()} is newer than this tool's {EvaluationResult.CurrentSchemaVersion}; update icl-prune.");
            result = JsonSerializer.Deserialize<EvaluationResult>(json, Options);
        }
        catch (JsonException e)
        {
            throw new IclPruneException($"{source}: not a valid results file ({e.Message}).", e);
        }
        return result ?? throw new IclPruneException($"{source}: empty results file.");
    }

    public static EvaluationResult Read(string path) => Deserialize(File.ReadAllText(path), path);

    /// <summary>Writes to a temporary file beside <paramref name="path"/> and renames it over, so a crash never leaves half a file.</summary>
    public static void WriteAtomic(string path, EvaluationResult result) => AtomicFile.WriteAllText(path, Serialize(result) + "\n");

    /// <summary>ItemCorrect as "1101...": 58,000 SST-2 items stay 58 KB per seed instead of 350 KB of JSON booleans.</summary>
    sealed class BitStringConverter : JsonConverter<IReadOnlyList<bool>>
    {
        public override IReadOnlyList<bool> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string text = reader.GetString() ?? throw new JsonException("item_correct is null; expected a string of 0 and 1.");
            var bits = new bool[text.Length];
            for (int i = 0; i < text.Length; i++)
                bits[i] = text[i] switch
                {
                    '1' => true,
                    '0' => false,
                    var other => throw new JsonException($"item_correct has '{other}' at {i}; expected only 0 and 1."),
                };
            return bits;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<bool> value, JsonSerializerOptions options) =>
            writer.WriteStringValue(string.Create(value.Count, value, (span, bits) =>
            {
                for (int i = 0; i < span.Length; i++) span[i] = bits[i] ? '1' : '0';
            }));
    }
}
