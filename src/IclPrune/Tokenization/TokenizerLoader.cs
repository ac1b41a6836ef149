using System.Text.Json;

namespace IclPrune.Tokenization;

/// <summary>
/// Finds and builds a checkpoint folder's tokenizer: tokenizer.json (HF tokenizers format: a BPE model that is either
/// byte-level, or SentencePiece-style with ▁ and byte fallback), else vocab.json + merges.txt (GPT-2 byte-level).
/// BOS/EOS and add_bos_token come from tokenizer_config.json, falling back to config.json's ids.
/// </summary>
public static class TokenizerLoader
{
    public static bool Exists(string folder) =>
        File.Exists(Path.Combine(folder, "tokenizer.json"))
        || (File.Exists(Path.Combine(folder, "vocab.json")) && File.Exists(Path.Combine(folder, "merges.txt")));

    public static ITextTokenizer Load(string folder, int? configBosId = null, int? configEosId = null)
    {
        var settings = TokenizerConfig.Load(folder);
        string json = Path.Combine(folder, "tokenizer.json");
        if (File.Exists(json))
            return TokenizerJson.Load(json, settings, configBosId, configEosId);
        string vocab = Path.Combine(folder, "vocab.json"), merges = Path.Combine(folder, "merges.txt");
        if (File.Exists(vocab) && File.Exists(merges))
            return FromVocabAndMerges(vocab, merges, settings, configBosId, configEosId);
        throw new IclPruneException($"{folder}: no tokenizer found (expected tokenizer.json, or vocab.json and merges.txt).");
    }

    static ITextTokenizer FromVocabAndMerges(string vocabPath, string mergesPath, TokenizerConfig settings, int? configBos, int? configEos)
    {
        Dictionary<string, int> vocabulary;
        try
        {
            vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllBytes(vocabPath))
                ?? throw new IclPruneException($"{vocabPath}: empty vocabulary.");
        }
        catch (JsonException e)
        {
            throw new IclPruneException($"{vocabPath}: expected a JSON object of token -> id ({e.Message}).", e);
        }
        // merges.txt: "#version: 0.2" then one "left right" pair per line, highest priority first.
        var merges = File.ReadLines(mergesPath)
            .Where(l => l.Length > 0 && !l.StartsWith("#version", StringComparison.Ordinal))
            .ToList();
        int? bos = Id(vocabulary, settings.BosToken) ?? configBos;
        int? eos = Id(vocabulary, settings.EosToken) ?? configEos;
        // GPT-2's <|endoftext|> is an ordinary vocab entry there; treat it as special so text containing it maps to it.
        var special = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in new[] { settings.BosToken, settings.EosToken, "<|endoftext|>" })
            if (token is not null && vocabulary.TryGetValue(token, out int id))
                special[token] = id;
        return new ByteLevelBpeTokenizer(vocabulary, merges, special, ByteLevelBpeTokenizer.Gpt2Pattern,
            addPrefixSpace: false, bos, eos, settings.AddBosToken ?? false);
    }

    internal static int? Id(IReadOnlyDictionary<string, int> vocabulary, string? token) =>
        token is not null && vocabulary.TryGetValue(token, out int id) ? id : null;
}
