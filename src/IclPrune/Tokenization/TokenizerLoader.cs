using System.Text.Json;

namespace IclPrune.Tokenization;

/// <summary>
/// Finds and builds a checkpoint folder's tokenizer: tokenizer.json (HF tokenizers format with a BPE model:
/// <see cref="TokenizerJson"/>), else vocab.json + merges.txt (GPT-2 byte-level). BOS/EOS and add_bos_token come from
/// tokenizer_config.json, falling back to config.json's ids. A malformed file is an <see cref="IclPruneException"/>
/// naming the file and the field.
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
        var vocabulary = ReadVocabulary(vocabPath);
        // merges.txt: "#version: 0.2" then one "left right" pair per line, highest priority first.
        var lines = File.ReadAllLines(mergesPath)
            .Select((text, index) => (Text: text, Number: index + 1))
            .Where(l => l.Text.Length > 0 && !l.Text.StartsWith("#version", StringComparison.Ordinal))
            .ToList();
        int? bos = Id(vocabulary, settings.BosToken) ?? configBos;
        int? eos = Id(vocabulary, settings.EosToken) ?? configEos;
        // GPT-2's <|endoftext|> is an ordinary vocab entry there; treat it as special so text containing it maps to it.
        var special = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in new[] { settings.BosToken, settings.EosToken, "<|endoftext|>" })
            if (token is not null && vocabulary.TryGetValue(token, out int id))
                special[token] = id;
        try
        {
            var pairs = MergePairs.Parse(lines.Select(l => l.Text), i => $"line {lines[i].Number}");
            var model = new BpeModel(vocabulary, pairs, mergeName: i => $"line {lines[i].Number}");
            return new BpeTokenizer(model, special.Select(t => new AddedToken(t.Key, t.Value)).ToList(), normalizer: null,
                new PreTokenizer.ByteLevel(addPrefixSpace: false, useRegex: true), BpeDecoding.ByteLevel, bos, eos,
                settings.AddBosToken ?? false);
        }
        catch (TokenizerFormatException e)
        {
            throw new IclPruneException($"{mergesPath}: {e.Message}", e);
        }
    }

    static Dictionary<string, int> ReadVocabulary(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
            var tokenOfId = new Dictionary<int, string>();
            foreach (var (token, value) in new JsonField(document.RootElement, "").Members())
            {
                int id = value.Id();
                if (!vocabulary.TryAdd(token, id))
                    throw new TokenizerFormatException($"'{token}' is listed twice.");
                if (!tokenOfId.TryAdd(id, token))
                    throw new TokenizerFormatException($"id {id} is given to both '{tokenOfId[id]}' and '{token}'; ids must be unique.");
            }
            return vocabulary;
        }
        catch (JsonException e)
        {
            throw new IclPruneException($"{path}: expected a JSON object of token -> id ({e.Message}).", e);
        }
        catch (TokenizerFormatException e)
        {
            throw new IclPruneException($"{path}: {e.Message}", e);
        }
    }

    internal static int? Id(IReadOnlyDictionary<string, int> vocabulary, string? token) =>
        token is not null && vocabulary.TryGetValue(token, out int id) ? id : null;
}
