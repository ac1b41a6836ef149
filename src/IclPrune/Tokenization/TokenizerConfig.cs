using System.Text.Json;

namespace IclPrune.Tokenization;

/// <summary>
/// tokenizer_config.json: add_bos_token (Llama true; absent means false, as for GPT-2), bos_token / eos_token
/// (a string or an AddedToken object {"content": ...}). Missing file: all defaults.
/// </summary>
public sealed record TokenizerConfig(bool? AddBosToken, string? BosToken, string? EosToken)
{
    public const string FileName = "tokenizer_config.json";

    public static TokenizerConfig Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            return new TokenizerConfig(null, null, null);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            bool? addBos = root.TryGetProperty("add_bos_token", out var b) && b.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? b.GetBoolean()
                : null;
            return new TokenizerConfig(addBos, TokenContent(root, "bos_token"), TokenContent(root, "eos_token"));
        }
        catch (JsonException e)
        {
            throw new IclPruneException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    static string? TokenContent(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String => c.GetString(),
            _ => null,
        };
    }
}
