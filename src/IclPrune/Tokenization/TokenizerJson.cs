using System.Text.Json;

namespace IclPrune.Tokenization;

/// <summary>
/// Reads a Hugging Face tokenizer.json into a <see cref="BpeTokenizer"/> that gives the Rust library's ids exactly.
/// Every field that changes ids is read; a field or component this implementation does not honour is an error that
/// names it (docs/models.md lists what is supported), because a silently ignored option gives silently wrong ids.
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
            try
            {
                return Build(new JsonField(document.RootElement, ""), settings, configBos, configEos);
            }
            catch (TokenizerFormatException e)
            {
                throw new IclPruneException($"{path}: {e.Message}", e);
            }
        }
    }

    static BpeTokenizer Build(JsonField root, TokenizerConfig settings, int? configBos, int? configEos)
    {
        root.OnlyMembers("version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer", "post_processor", "decoder", "model");
        if (root.Optional("version") is { } version && version.String() != "1.0")
            throw version.Expected("\"1.0\" (the only tokenizer.json version Hugging Face reads)");
        root.Unsupported("truncation", "Encode never truncates; set it to null");
        root.Unsupported("padding", "Encode never pads; set it to null");
        root.Optional("decoder")?.Object(); // decoding follows the family (BpeDecoding); it never changes ids

        var model = ReadModel(root.Required("model"));
        var normalizer = root.Optional("normalizer") is { } n ? ReadNormalizer(n) : null;
        var preTokenizer = root.Optional("pre_tokenizer") is { } p ? ReadPreTokenizer(p) : null;
        var added = root.Optional("added_tokens") is { } a ? ReadAddedTokens(a, model.Vocabulary) : [];

        var all = new Dictionary<string, int>(model.Vocabulary, StringComparer.Ordinal);
        foreach (var token in added)
            all[token.Content] = token.Id;
        // Llama 3 has no add_bos_token: its post_processor template starts with <|begin_of_text|>.
        string? templateBos = TemplateBosToken(root.Optional("post_processor"));
        int? bos = TokenizerLoader.Id(all, settings.BosToken) ?? TokenizerLoader.Id(all, templateBos) ?? configBos;
        int? eos = TokenizerLoader.Id(all, settings.EosToken) ?? configEos;
        bool byteLevel = HasByteLevel(root.Optional("pre_tokenizer"));
        // GPT-2 adds no BOS; Llama/Mistral default to one (LlamaTokenizer add_bos_token = true).
        bool addBos = settings.AddBosToken ?? (templateBos is not null || !byteLevel);
        return new BpeTokenizer(model, added, normalizer, preTokenizer,
            byteLevel ? BpeDecoding.ByteLevel : BpeDecoding.SentencePiece, bos, eos, addBos);
    }

    static BpeModel ReadModel(JsonField model)
    {
        model.OnlyMembers("type", "dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix", "fuse_unk",
            "byte_fallback", "ignore_merges", "vocab", "merges");
        if (model.Optional("type") is { } type && type.String() != "BPE")
            throw new TokenizerFormatException($"model.type '{type.String()}' is not supported; supported: BPE.");
        if (model.Optional("dropout") is { } dropout && !(dropout.Value.ValueKind == JsonValueKind.Number && dropout.Value.GetDouble() == 0))
            throw new TokenizerFormatException($"model.dropout = {dropout.Value.GetRawText()} is not supported: BPE dropout makes ids random; set it to null.");
        foreach (var affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (model.Optional(affix) is { } value && value.String().Length > 0)
                throw new TokenizerFormatException($"model.{affix} = \"{value.String()}\" is not supported (word-piece style BPE); set it to null.");

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokenOfId = new Dictionary<int, string>();
        foreach (var (token, idField) in model.Required("vocab").Members())
        {
            int id = idField.Id();
            if (!vocabulary.TryAdd(token, id))
                throw new TokenizerFormatException($"model.vocab lists '{token}' twice.");
            if (!tokenOfId.TryAdd(id, token))
                throw new TokenizerFormatException($"model.vocab gives id {id} to both '{tokenOfId[id]}' and '{token}'; ids must be unique.");
        }

        var merges = new List<(string, string)>();
        foreach (var merge in model.Required("merges").Array())
        {
            if (merge.Value.ValueKind == JsonValueKind.String)
                merges.Add(MergePairs.Parse([merge.String()], _ => merge.Path)[0]);
            else if (merge.Value.ValueKind == JsonValueKind.Array && merge.Value.GetArrayLength() == 2)
            {
                var parts = merge.Array().Select(part => part.String()).ToArray();
                merges.Add((parts[0], parts[1]));
            }
            else
                throw merge.Expected("\"left right\" or [\"left\", \"right\"]");
        }
        return new BpeModel(vocabulary, merges, model.Optional("unk_token")?.String(),
            fuseUnknown: model.OptionalBool("fuse_unk", false), byteFallback: model.OptionalBool("byte_fallback", false),
            ignoreMerges: model.OptionalBool("ignore_merges", false));
    }

    /// <summary>
    /// added_tokens with the ids Hugging Face gives them (AddedVocabulary.add_tokens): a token in model.vocab keeps
    /// that id, any other takes the next id after the vocabulary in order. A file whose "id" disagrees is rejected
    /// rather than guessed at.
    /// </summary>
    static List<AddedToken> ReadAddedTokens(JsonField list, IReadOnlyDictionary<string, int> vocabulary)
    {
        var tokens = new List<AddedToken>();
        var byContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        var contentOfId = new Dictionary<int, string>();
        int nextId = vocabulary.Count; // HF: model.get_vocab_size(), the number of entries
        foreach (var item in list.Array())
        {
            item.OnlyMembers("id", "content", "single_word", "lstrip", "rstrip", "normalized", "special");
            int id = item.Required("id").Id();
            string content = item.Required("content").String();
            // Hugging Face requires every flag (AddedToken has no serde defaults).
            var token = new AddedToken(content, id,
                Special: item.Required("special").Bool(), SingleWord: item.Required("single_word").Bool(),
                LeftStrip: item.Required("lstrip").Bool(), RightStrip: item.Required("rstrip").Bool(),
                Normalized: item.Required("normalized").Bool());
            if (content.Length == 0)
                continue; // HF ignores empty added tokens
            int expected = vocabulary.TryGetValue(content, out int vocabId) ? vocabId
                : byContent.TryGetValue(content, out var earlier) ? earlier.Id
                : nextId++;
            if (id != expected)
                throw new TokenizerFormatException(
                    $"{item.Path} ('{content}') has id {id}, but Hugging Face gives it {expected} "
                    + (vocabulary.ContainsKey(content) ? "(its id in model.vocab)." : "(added tokens outside model.vocab take the ids after it, in order)."));
            if (contentOfId.TryGetValue(id, out var other) && other != content)
                throw new TokenizerFormatException($"{item.Path} ('{content}') has id {id}, which added token '{other}' already has.");
            contentOfId[id] = content;
            if (byContent.ContainsKey(content))
                tokens.RemoveAll(t => t.Content == content); // listed again: HF keeps the last flags
            byContent[content] = token;
            tokens.Add(token);
        }
        return tokens;
    }

    static Normalizer ReadNormalizer(JsonField field)
    {
        string type = field.Required("type").String();
        switch (type)
        {
            case "Sequence":
                field.OnlyMembers("type", "normalizers");
                return new Normalizer.Sequence(field.Required("normalizers").Array().Select(ReadNormalizer).ToList());
            case "Prepend":
                field.OnlyMembers("type", "prepend");
                return new Normalizer.Prepend(field.Required("prepend").String());
            case "Replace":
                field.OnlyMembers("type", "pattern", "content");
                var pattern = field.Required("pattern");
                pattern.OnlyMembers("String");
                return new Normalizer.Replace(pattern.Required("String").String(), field.Required("content").String());
            case "NFC" or "NFD" or "NFKC" or "NFKD":
                field.OnlyMembers("type");
                return new Normalizer.Unicode(type switch
                {
                    "NFC" => System.Text.NormalizationForm.FormC,
                    "NFD" => System.Text.NormalizationForm.FormD,
                    "NFKC" => System.Text.NormalizationForm.FormKC,
                    _ => System.Text.NormalizationForm.FormKD,
                });
            default:
                throw new TokenizerFormatException(
                    $"{field.Path}.type '{type}' is not supported; supported normalizers: Sequence, Prepend, Replace (String pattern), NFC, NFD, NFKC, NFKD.");
        }
    }

    static PreTokenizer ReadPreTokenizer(JsonField field)
    {
        string type = field.Required("type").String();
        switch (type)
        {
            case "Sequence":
                field.OnlyMembers("type", "pretokenizers");
                return new PreTokenizer.Sequence(field.Required("pretokenizers").Array().Select(ReadPreTokenizer).ToList());
            case "ByteLevel":
                // trim_offsets only moves offsets, never ids.
                field.OnlyMembers("type", "add_prefix_space", "trim_offsets", "use_regex");
                field.Optional("trim_offsets")?.Bool();
                return new PreTokenizer.ByteLevel(field.OptionalBool("add_prefix_space", true), field.OptionalBool("use_regex", true));
            case "Split":
                field.OnlyMembers("type", "pattern", "behavior", "invert");
                var behaviorField = field.Required("behavior");
                if (!Enum.TryParse(behaviorField.String(), ignoreCase: false, out SplitBehavior behavior) || !Enum.IsDefined(behavior))
                    throw behaviorField.Expected($"one of {string.Join(", ", Enum.GetNames<SplitBehavior>())}");
                bool invert = field.OptionalBool("invert", false);
                var pattern = field.Required("pattern");
                pattern.OnlyMembers("String", "Regex");
                if (pattern.Optional("String") is { } literal)
                    return SplitPreTokenizer.ForString(literal.String(), behavior, invert);
                var regex = pattern.Required("Regex");
                try
                {
                    return new SplitPreTokenizer(new CodePointRegex(regex.String()), behavior, invert);
                }
                catch (ArgumentException e)
                {
                    throw new TokenizerFormatException($"{regex.Path} is not a valid regular expression ({e.Message}).");
                }
            case "Metaspace":
                return ReadMetaspace(field);
            default:
                throw new TokenizerFormatException(
                    $"{field.Path}.type '{type}' is not supported; supported pre-tokenizers: Sequence, ByteLevel, Split, Metaspace.");
        }
    }

    /// <summary>Metaspace as HF deserializes it: prepend_scheme defaults to always, split to true; the legacy
    /// add_prefix_space false means never and contradicts any other declared scheme.</summary>
    static PreTokenizer ReadMetaspace(JsonField field)
    {
        field.OnlyMembers("type", "replacement", "prepend_scheme", "split", "add_prefix_space", "str_rep");
        var replacementField = field.Required("replacement");
        string replacement = replacementField.String();
        if (replacement.Length != 1)
            throw replacementField.Expected("one character");
        var scheme = PreTokenizer.PrependScheme.Always;
        if (field.Optional("prepend_scheme") is { } schemeField)
            scheme = schemeField.String() switch
            {
                "always" => PreTokenizer.PrependScheme.Always,
                "first" => PreTokenizer.PrependScheme.First,
                "never" => PreTokenizer.PrependScheme.Never,
                _ => throw schemeField.Expected("always, first or never"),
            };
        if (field.Optional("add_prefix_space")?.Bool() == false)
        {
            if (scheme != PreTokenizer.PrependScheme.Never)
                throw new TokenizerFormatException($"{field.Path}: add_prefix_space false contradicts prepend_scheme (Hugging Face rejects this too).");
            scheme = PreTokenizer.PrependScheme.Never;
        }
        return new PreTokenizer.Metaspace(replacement[0], scheme, field.OptionalBool("split", true));
    }

    /// <summary>Whether ByteLevel is the pre-tokenizer or in its Sequence (then ids decode byte-level).</summary>
    static bool HasByteLevel(JsonField? field) =>
        field is { } f && f.Required("type").String() switch
        {
            "ByteLevel" => true,
            "Sequence" => f.Required("pretokenizers").Array().Any(item => HasByteLevel(item)),
            _ => false,
        };

    /// <summary>
    /// The special token a TemplateProcessing post-processor puts first in a single sequence ("single": [{"SpecialToken":
    /// {"id": "&lt;|begin_of_text|&gt;"}}, {"Sequence": {"id": "A"}}]), alone or inside a Sequence post-processor; else
    /// null. Encode adds no special tokens, so nothing else of the post-processor matters.
    /// </summary>
    static string? TemplateBosToken(JsonField? post)
    {
        if (post is not { } processor)
            return null;
        processor.Object();
        var processors = processor.Optional("processors") is { } list ? list.Array().ToList() : [processor];
        foreach (var item in processors)
        {
            if (item.Object().Optional("type")?.String() != "TemplateProcessing" || item.Optional("single") is not { } single)
                continue;
            var first = single.Array().FirstOrDefault();
            if (first.Value.ValueKind == JsonValueKind.Object && first.Optional("SpecialToken") is { } special)
                return special.Required("id").String();
        }
        return null;
    }
}
