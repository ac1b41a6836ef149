using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IclPrune.Tokenization;

namespace IclPrune.Tests.Tokenization.Parity;

/// <summary>One tokenizer.json (and tokenizer_config.json) the parity tests build, and whether Hugging Face's Encode
/// adds a BOS through its post-processor template.</summary>
public sealed record ParityVariant(string Name, JsonObject TokenizerJson, string? TokenizerConfig, bool ReferenceAddsBos)
{
    public override string ToString() => Name;
}

/// <summary>
/// tokenizer.json files laid out as the Hub publishes them (GPT-2, Llama 3, Qwen2, Llama 2 / Mistral), each with
/// vocabularies trained on <see cref="ParityCorpus"/>, together exercising every feature docs/models.md lists.
/// </summary>
public static class ParityVariants
{
    public const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    const string Metaspace = "\u2581";

    /// <summary>Whole words in the vocabulary (some merges build, some not): ignore_merges emits them whole.</summary>
    static readonly string[] WholeWords = [.. ParityCorpus.UntrainedWords, "𝐇𝐞𝐥𝐥𝐨", " tokenization", "CamelCase", " movie", "Zürich"];

    // Trained once per run: training is the slow part of building a variant.
    static readonly Lazy<(Dictionary<string, int> Vocab, List<(string, string)> Merges)> ByteLevel = new(ByteLevelVocabulary);
    static readonly Lazy<(Dictionary<string, int> Vocab, List<(string, string)> Merges)> SentencePieceWithBytes = new(() => SentencePieceVocabulary(byteTokens: true));
    static readonly Lazy<(Dictionary<string, int> Vocab, List<(string, string)> Merges)> SentencePieceWithoutBytes = new(() => SentencePieceVocabulary(byteTokens: false));

    public static IEnumerable<ParityVariant> All()
    {
        var byteLevel = ByteLevel.Value;
        yield return new("gpt2", Tokenizer(byteLevel.Vocab, byteLevel.Merges, pairs: false,
            pre: ByteLevelPre(addPrefixSpace: false, useRegex: true),
            added: [Added("<|endoftext|>", special: true, normalized: true)]), null, false);
        yield return new("bytelevel-add-prefix-space", Tokenizer(byteLevel.Vocab, byteLevel.Merges, pairs: true,
            pre: ByteLevelPre(addPrefixSpace: true, useRegex: true),
            added: [Added("<|endoftext|>", special: true, normalized: false)]), null, false);
        yield return new("llama3", Tokenizer(byteLevel.Vocab, byteLevel.Merges, pairs: true, ignoreMerges: true,
            pre: Sequence(SplitRegex(Llama3Pattern, "Isolated"), ByteLevelPre(addPrefixSpace: false, useRegex: false)),
            added: [Added("<|begin_of_text|>"), Added("<|end_of_text|>"), Added("<|eot_id|>")],
            post: new JsonObject
            {
                ["type"] = "Sequence",
                ["processors"] = new JsonArray(
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = false, ["use_regex"] = true },
                    Template("<|begin_of_text|>", byteLevel.Vocab.Count)),
            }), null, true);
        yield return new("llama3-merges-not-ignored", Tokenizer(byteLevel.Vocab, byteLevel.Merges, pairs: true,
            pre: Sequence(SplitRegex(Llama3Pattern, "Isolated"), ByteLevelPre(addPrefixSpace: false, useRegex: false)),
            added: [Added("<|begin_of_text|>")]), null, false);
        yield return new("qwen2-nfc", Tokenizer(byteLevel.Vocab, byteLevel.Merges, pairs: true,
            normalizer: new JsonObject { ["type"] = "NFC" },
            pre: Sequence(SplitRegex(Qwen2Pattern, "Isolated"), ByteLevelPre(addPrefixSpace: false, useRegex: false)),
            added: [Added("<|endoftext|>"), Added("<|im_start|>")]), null, false);
        yield return new("bytelevel-nfkc", Tokenizer(byteLevel.Vocab, byteLevel.Merges, pairs: true,
            normalizer: new JsonObject { ["type"] = "NFKC" }, pre: ByteLevelPre(addPrefixSpace: false, useRegex: true), added: []), null, false);
        foreach (var behavior in new[] { "Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous" })
        {
            yield return new($"split-string-{behavior}", Tokenizer(byteLevel.Vocab, byteLevel.Merges, pairs: true,
                pre: Sequence(SplitString(" ", behavior, invert: false), ByteLevelPre(addPrefixSpace: false, useRegex: false)), added: []), null, false);
            yield return new($"split-regex-inverted-{behavior}", Tokenizer(byteLevel.Vocab, byteLevel.Merges, pairs: true,
                pre: Sequence(SplitRegex(@"\p{L}+|\p{N}", behavior, invert: true), ByteLevelPre(addPrefixSpace: false, useRegex: false)), added: []), null, false);
        }

        var sentencePiece = SentencePieceWithBytes.Value;
        JsonObject[] llamaAdded() => [Added("<unk>"), Added("<s>"), Added("</s>")];
        yield return new("llama2", Tokenizer(sentencePiece.Vocab, sentencePiece.Merges, pairs: false,
            normalizer: LlamaNormalizer(), pre: null, added: llamaAdded(), byteFallback: true, unk: "<unk>", fuseUnk: true,
            post: Template("<s>", 1)), """{"add_bos_token": true, "bos_token": "<s>", "eos_token": "</s>"}""", true);
        yield return new("llama2-added-token-flags", Tokenizer(sentencePiece.Vocab, sentencePiece.Merges, pairs: true,
            normalizer: LlamaNormalizer(), pre: null, byteFallback: true, unk: "<unk>", fuseUnk: true,
            added: [.. llamaAdded(), Added("[MASK]", lstrip: true, rstrip: true), Added("<tool>", special: false, normalized: true),
                Added("word", special: false, singleWord: true)]),
            """{"add_bos_token": false}""", false);
        // Llama 2 / Mistral files converted without legacy: no normalizer, Metaspace prepending only at the start.
        foreach (var (scheme, split) in new[] { ("first", false), ("first", true), ("always", true), ("never", false) })
            yield return new($"metaspace-{scheme}{(split ? "-split" : "")}", Tokenizer(sentencePiece.Vocab, sentencePiece.Merges, pairs: true,
                pre: new JsonObject { ["type"] = "Metaspace", ["replacement"] = Metaspace, ["prepend_scheme"] = scheme, ["split"] = split },
                added: [.. llamaAdded(), Added("[MASK]", lstrip: true)], byteFallback: true, unk: "<unk>", fuseUnk: true),
                """{"add_bos_token": false}""", false);
        var noBytes = SentencePieceWithoutBytes.Value;
        yield return new("sentencepiece-unk-not-fused", Tokenizer(noBytes.Vocab, noBytes.Merges, pairs: true,
            normalizer: LlamaNormalizer(), pre: null, added: llamaAdded(), unk: "<unk>", fuseUnk: false),
            """{"add_bos_token": false}""", false);
        yield return new("sentencepiece-unk-fused", Tokenizer(noBytes.Vocab, noBytes.Merges, pairs: true,
            normalizer: LlamaNormalizer(), pre: null, added: llamaAdded(), unk: "<unk>", fuseUnk: true),
            """{"add_bos_token": false}""", false);
    }

    /// <summary>GPT-2's 256 byte characters, merges learned on the corpus pre-tokenized by GPT-2's regex, whole words.</summary>
    static (Dictionary<string, int> Vocab, List<(string, string)> Merges) ByteLevelVocabulary()
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int b = 0; b < 256; b++)
            vocab[ByteLevelAlphabet.CharOf((byte)b).ToString()] = vocab.Count;
        var regex = new Regex(PreTokenizer.ByteLevel.Gpt2Pattern);
        var words = ParityCorpus.TrainingTexts
            .SelectMany(text => regex.Matches(text).Select(m => ByteLevelAlphabet.Encode(m.Value)))
            .Select(word => word.Select(ch => ch.ToString()).ToArray());
        var merges = TinyBpeTrainer.Train(words, 400);
        foreach (var (left, right) in merges)
            vocab.TryAdd(left + right, vocab.Count);
        foreach (var word in WholeWords)
            vocab.TryAdd(ByteLevelAlphabet.Encode(word), vocab.Count);
        return (vocab, merges);
    }

    /// <summary>Llama's layout: &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, optionally the 256 &lt;0xXX&gt; byte tokens, then the
    /// corpus's characters except emoji and Hangul (so they fall back to bytes or &lt;unk&gt;), then learned merges.</summary>
    static (Dictionary<string, int> Vocab, List<(string, string)> Merges) SentencePieceVocabulary(bool byteTokens)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal) { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        if (byteTokens)
            for (int b = 0; b < 256; b++)
                vocab[$"<0x{b:X2}>"] = vocab.Count;
        var texts = ParityCorpus.TrainingTexts.Select(t => Metaspace + t.Replace(" ", Metaspace)).ToList();
        vocab.TryAdd(Metaspace, vocab.Count);
        foreach (var rune in texts.SelectMany(t => t.EnumerateRunes()).Distinct().OrderBy(r => r.Value))
            if (rune.Value is not (>= 0x1F000 or >= 0xAC00 and <= 0xD7AF))
                vocab.TryAdd(rune.ToString(), vocab.Count);
        var words = texts.SelectMany(t => Regex.Split(t, $"(?={Metaspace})").Where(w => w.Length > 0))
            .Select(word => word.EnumerateRunes().Select(r => r.ToString()).Where(vocab.ContainsKey).ToArray());
        var merges = TinyBpeTrainer.Train(words, 400);
        foreach (var (left, right) in merges)
            vocab.TryAdd(left + right, vocab.Count);
        return (vocab, merges);
    }

    static JsonObject Tokenizer(Dictionary<string, int> vocab, List<(string Left, string Right)> merges, bool pairs,
        JsonObject? pre, JsonObject[] added, JsonObject? normalizer = null, JsonObject? post = null, bool ignoreMerges = false,
        bool byteFallback = false, string? unk = null, bool fuseUnk = false)
    {
        int nextId = vocab.Count;
        var addedTokens = new JsonArray();
        foreach (var token in added)
        {
            string content = token["content"]!.GetValue<string>();
            token["id"] = vocab.TryGetValue(content, out int id) ? id : nextId++;
            addedTokens.Add(token);
        }
        var vocabJson = new JsonObject();
        foreach (var (token, id) in vocab)
            vocabJson[token] = id;
        var mergesJson = new JsonArray();
        foreach (var (left, right) in merges)
            mergesJson.Add(pairs ? new JsonArray(left, right) : $"{left} {right}");
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = addedTokens,
            ["normalizer"] = normalizer,
            ["pre_tokenizer"] = pre,
            ["post_processor"] = post,
            ["decoder"] = pre is null || (string?)pre["type"] == "Metaspace" ? new JsonObject { ["type"] = "Fuse" } : new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = unk,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = fuseUnk,
                ["byte_fallback"] = byteFallback,
                ["ignore_merges"] = ignoreMerges,
                ["vocab"] = vocabJson,
                ["merges"] = mergesJson,
            },
        };
    }

    static JsonObject Added(string content, bool special = true, bool normalized = false, bool lstrip = false, bool rstrip = false, bool singleWord = false) =>
        new()
        {
            ["content"] = content, ["single_word"] = singleWord, ["lstrip"] = lstrip, ["rstrip"] = rstrip,
            ["normalized"] = normalized, ["special"] = special,
        };

    static JsonObject ByteLevelPre(bool addPrefixSpace, bool useRegex) =>
        new() { ["type"] = "ByteLevel", ["add_prefix_space"] = addPrefixSpace, ["trim_offsets"] = true, ["use_regex"] = useRegex };

    static JsonObject SplitRegex(string pattern, string behavior, bool invert = false) =>
        new() { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = pattern }, ["behavior"] = behavior, ["invert"] = invert };

    static JsonObject SplitString(string pattern, string behavior, bool invert) =>
        new() { ["type"] = "Split", ["pattern"] = new JsonObject { ["String"] = pattern }, ["behavior"] = behavior, ["invert"] = invert };

    static JsonObject Sequence(params JsonObject[] steps) => new() { ["type"] = "Sequence", ["pretokenizers"] = new JsonArray(steps) };

    static JsonObject LlamaNormalizer() => new()
    {
        ["type"] = "Sequence",
        ["normalizers"] = new JsonArray(
            new JsonObject { ["type"] = "Prepend", ["prepend"] = Metaspace },
            new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = Metaspace }),
    };

    /// <summary>A TemplateProcessing post-processor that puts <paramref name="bos"/> first, as Llama's files do.</summary>
    static JsonObject Template(string bos, int bosId) => new()
    {
        ["type"] = "TemplateProcessing",
        ["single"] = new JsonArray(
            new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = bos, ["type_id"] = 0 } },
            new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
        ["pair"] = new JsonArray(
            new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = bos, ["type_id"] = 0 } },
            new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } },
            new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "B", ["type_id"] = 1 } }),
        ["special_tokens"] = new JsonObject { [bos] = new JsonObject { ["id"] = bos, ["ids"] = new JsonArray(bosId), ["tokens"] = new JsonArray(bos) } },
    };
}
