using System.Text.Json;

namespace IclPrune.Tokenization;

/// <summary>
/// tokenizer_config.json: add_bos_token (Llama true; absent means false, as for GPT-2), bos_token / eos_token
/// (a string or an AddedToken object {"content": ...}). Missing file: all defaults. Other fields (chat_template,
/// model_max_length...) do not change ids and are not read.
/// </summary>
public sealed record TokenizerConfig(bool? AddBosToken, string? BosToken, string? EosToken)
{
    public const string FileName = "tokenizer_config.json";

    public static TokenizerConfig Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            return new TokenizerConfig(null, null, null);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new IclPruneException($"{path}: not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            try
            {
                var root = new JsonField(document.RootElement, "").Object();
                return new TokenizerConfig(root.Optional("add_bos_token")?.Bool(), TokenContent(root, "bos_token"), TokenContent(root, "eos_token"));
            }
            catch (TokenizerFormatException e)
            {
                throw new IclPruneException($"{path}: {e.Message}", e);
            }
        }
    }

    static string? TokenContent(JsonField root, string name) =>
        root.Optional(name) is not { } value ? null
        : value.Value.ValueKind == JsonValueKind.Object ? value.Required("content").String()
        : value.Value.ValueKind == JsonValueKind.String ? value.String()
        : throw value.Expected("a token string or an object with a \"content\" string");
}
