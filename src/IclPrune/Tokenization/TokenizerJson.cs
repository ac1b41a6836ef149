using System.Text.Json;

namespace IclPrune.Tokenization;

/// <summary>
/// Reads a Hugging Face tokenizer.json ({"model": {"type": "BPE", "vocab", "merges", "byte_fallback"},
/// "pre_tokenizer", "normalizer", "decoder", "added_tokens"}) into a byte-level or SentencePiece-style tokenizer.
/// Byte-level: the pre-tokenizer is ByteLevel (GPT-2 regex) or a Sequence with a Split regex (Llama 3, Qwen2).
/// Otherwise (Llama 2, Mistral): ▁ for spaces and byte fallback.
/// </summary>
internal static class TokenizerJson
{
    public static ITextTokenizer Load(string path, TokenizerConfig settings, int? configBos, int? configEos)
    {
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
            var root = document.RootElement;
            if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
                throw new IclPruneException($"{path}: no 'model' object.");
            string type = model.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "BPE";
            if (type != "BPE")
                throw new IclPruneException($"{path}: tokenizer model type '{type}' is not supported; supported: BPE.");

            var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
            if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
                throw new IclPruneException($"{path}: model.vocab must be an object of token -> id.");
            foreach (var p in vocab.EnumerateObject())
                vocabulary[p.Name] = p.Value.GetInt32();
            var merges = new List<string>();
            if (model.TryGetProperty("merges", out var m) && m.ValueKind == JsonValueKind.Array)
            {
                // Older files: "left right" strings; newer: ["left", "right"] pairs.
                foreach (var merge in m.EnumerateArray())
                    merges.Add(merge.ValueKind == JsonValueKind.Array ? $"{merge[0].GetString()} {merge[1].GetString()}" : merge.GetString()!);
            }

            var added = new Dictionary<string, int>(StringComparer.Ordinal);
            if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
                foreach (var token in addedTokens.EnumerateArray())
                    added[token.GetProperty("content").GetString()!] = token.GetProperty("id").GetInt32();

            var all = new Dictionary<string, int>(vocabulary, StringComparer.Ordinal);
            foreach (var (k, v) in added)
                all[k] = v;
            // Llama 3 has no add_bos_token: its post_processor template starts with <|begin_of_text|>.
            string? templateBos = TemplateBosToken(root);
            int? bos = TokenizerLoader.Id(all, settings.BosToken) ?? TokenizerLoader.Id(all, templateBos) ?? configBos;
            int? eos = TokenizerLoader.Id(all, settings.EosToken) ?? configEos;
            bool? addBos = settings.AddBosToken ?? (templateBos is not null ? true : null);

            var preTokenizer = root.TryGetProperty("pre_tokenizer", out var pre) ? pre : default;
            if (IsByteLevel(preTokenizer, out string? pattern, out bool addPrefixSpace))
                return new ByteLevelBpeTokenizer(vocabulary, merges, added, pattern ?? ByteLevelBpeTokenizer.Gpt2Pattern,
                    addPrefixSpace, bos, eos, addBos ?? false);

            bool byteFallback = model.TryGetProperty("byte_fallback", out var bf) && bf.ValueKind == JsonValueKind.True;
            // Llama/Mistral default to a BOS at the start (LlamaTokenizer add_bos_token = true).
            return new SentencePieceBpeTokenizer(vocabulary, merges, added, byteFallback, bos, eos, addBos ?? true);
        }
    }

    /// <summary>
    /// The special token a TemplateProcessing post-processor puts first in a single sequence ("single": [{"SpecialToken":
    /// {"id": "&lt;|begin_of_text|&gt;"}}, {"Sequence": {"id": "A"}}]), alone or inside a Sequence post-processor; else null.
    /// </summary>
    static string? TemplateBosToken(JsonElement root)
    {
        if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind != JsonValueKind.Object)
            return null;
        var processors = post.TryGetProperty("processors", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : [post];
        foreach (var processor in processors)
        {
            if (!processor.TryGetProperty("type", out var type) || type.GetString() != "TemplateProcessing"
                || !processor.TryGetProperty("single", out var single) || single.ValueKind != JsonValueKind.Array || single.GetArrayLength() == 0)
                continue;
            if (single[0].TryGetProperty("SpecialToken", out var special) && special.TryGetProperty("id", out var id))
                return id.GetString();
        }
        return null;
    }

    /// <summary>ByteLevel alone (GPT-2: its own regex) or in a Sequence after a Split with a Regex pattern.</summary>
    static bool IsByteLevel(JsonElement pre, out string? pattern, out bool addPrefixSpace)
    {
        pattern = null;
        addPrefixSpace = false;
        if (pre.ValueKind != JsonValueKind.Object || !pre.TryGetProperty("type", out var type))
            return false;
        if (type.GetString() == "ByteLevel")
        {
            addPrefixSpace = pre.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.True;
            return true;
        }
        if (type.GetString() != "Sequence" || !pre.TryGetProperty("pretokenizers", out var list))
            return false;
        bool byteLevel = false;
        foreach (var item in list.EnumerateArray())
        {
            string? kind = item.TryGetProperty("type", out var k) ? k.GetString() : null;
            if (kind == "ByteLevel")
            {
                byteLevel = true;
                addPrefixSpace |= item.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.True;
            }
            else if (kind == "Split" && item.TryGetProperty("pattern", out var p) && p.TryGetProperty("Regex", out var regex))
                pattern = regex.GetString();
        }
        return byteLevel;
    }
}
