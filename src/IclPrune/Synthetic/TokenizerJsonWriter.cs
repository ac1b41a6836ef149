using System.Text.Json;
using System.Text.Json.Nodes;
using IclPrune.Output;

namespace IclPrune.Synthetic;

/// <summary>
/// Writes a <see cref="ByteLevelBpeVocabulary"/> as Hugging Face tokenizer files: tokenizer.json (model BPE,
/// ByteLevel pre-tokenizer and decoder, as GPT-2's own tokenizer.json) and tokenizer_config.json (GPT2Tokenizer, no BOS).
/// </summary>
public static class TokenizerJsonWriter
{
    public static void Write(ByteLevelBpeVocabulary vocabulary, string folder, int modelMaxLength)
    {
        var vocab = new JsonObject();
        for (int id = 0; id < vocabulary.Count; id++) vocab[vocabulary.Tokens[id]] = id;
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(new JsonObject
            {
                ["id"] = vocabulary.EndOfTextId, ["content"] = ByteLevelBpeVocabulary.EndOfText, ["single_word"] = false,
                ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = true, ["special"] = true,
            }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel.DeepClone(),
            ["post_processor"] = byteLevel.DeepClone(),
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "", ["fuse_unk"] = false, ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray([.. vocabulary.Merges.Select(m => (JsonNode)$"{m.Left} {m.Right}")]),
            },
        };
        var config = new JsonObject
        {
            ["tokenizer_class"] = "GPT2Tokenizer",
            ["add_bos_token"] = false,
            ["add_prefix_space"] = false,
            ["bos_token"] = ByteLevelBpeVocabulary.EndOfText,
            ["eos_token"] = ByteLevelBpeVocabulary.EndOfText,
            ["unk_token"] = ByteLevelBpeVocabulary.EndOfText,
            ["model_max_length"] = modelMaxLength,
        };
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizer.ToJsonString(options));
        AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString(options));
    }
}
