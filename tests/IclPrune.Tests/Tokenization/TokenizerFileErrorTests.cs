using System.Text.Json.Nodes;
using IclPrune.Tokenization;

namespace IclPrune.Tests.Tokenization;

/// <summary>
/// Malformed or unsupported tokenizer files: each is an <see cref="IclPruneException"/> (the CLI's exit code 1) whose
/// message names the file, the field and what was expected, never an unhandled exception or a silent guess.
/// </summary>
public sealed class TokenizerFileErrorTests
{
    string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("tokenizer-errors-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    /// <summary>A small valid byte-level tokenizer.json: a, b, ab, "Ġ" and an added &lt;|endoftext|&gt;.</summary>
    static JsonObject Valid() => new()
    {
        ["version"] = "1.0",
        ["truncation"] = null,
        ["padding"] = null,
        ["added_tokens"] = new JsonArray(new JsonObject
        {
            ["id"] = 4, ["content"] = "<|endoftext|>", ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
            ["normalized"] = false, ["special"] = true,
        }),
        ["normalizer"] = null,
        ["pre_tokenizer"] = new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = @"\p{L}+" }, ["behavior"] = "Isolated", ["invert"] = false },
                new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
        },
        ["post_processor"] = null,
        ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
        ["model"] = new JsonObject
        {
            ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false,
            ["ignore_merges"] = false,
            ["vocab"] = new JsonObject { ["a"] = 0, ["b"] = 1, ["ab"] = 2, ["Ġ"] = 3 },
            ["merges"] = new JsonArray("a b"),
        },
    };

    static JsonObject Model(JsonObject root) => root["model"]!.AsObject();
    static JsonObject Added(JsonObject root) => root["added_tokens"]![0]!.AsObject();
    static JsonObject Split(JsonObject root) => root["pre_tokenizer"]!["pretokenizers"]![0]!.AsObject();

    static IEnumerable<TestCaseData> MalformedTokenizerJson()
    {
        TestCaseData Case(string name, Action<JsonObject> change, string expected) =>
            new TestCaseData(change, expected).SetName($"Load_{name}_ErrorNamesField");
        yield return Case("ModelIsArray", r => r["model"] = new JsonArray(), "model is an array; expected a JSON object");
        yield return Case("ModelMissing", r => r.Remove("model"), "model is missing");
        yield return Case("VocabIsArray", r => Model(r)["vocab"] = new JsonArray(), "model.vocab is an array; expected a JSON object");
        yield return Case("VocabIdIsString", r => Model(r)["vocab"]!["b"] = "1", "model.vocab.b is the string \"1\"; expected a token id");
        yield return Case("VocabIdNegative", r => Model(r)["vocab"]!["b"] = -1, "model.vocab.b is the number -1; expected a token id");
        yield return Case("VocabIdFraction", r => Model(r)["vocab"]!["b"] = 1.5, "model.vocab.b is the number 1.5; expected a token id");
        yield return Case("DuplicateVocabId", r => Model(r)["vocab"]!["b"] = 0, "model.vocab gives id 0 to both 'a' and 'b'");
        yield return Case("MergesMissing", r => Model(r).Remove("merges"), "model.merges is missing");
        yield return Case("MergesIsObject", r => Model(r)["merges"] = new JsonObject(), "model.merges is an object; expected a JSON array");
        yield return Case("MergeNamesUnknownToken", r => Model(r)["merges"] = new JsonArray("a x"), "model.merges[0] ('a x') needs 'x', which is not in the vocabulary");
        yield return Case("MergeResultUnknown", r => Model(r)["merges"] = new JsonArray(new JsonArray("b", "a")), "model.merges[0] ('b a') needs 'ba'");
        yield return Case("MergeThreeParts", r => Model(r)["merges"] = new JsonArray("a b c"), "model.merges[0] is 'a b c'; expected two tokens");
        yield return Case("MergeIsNumber", r => Model(r)["merges"] = new JsonArray(5), "model.merges[0] is the number 5; expected \"left right\"");
        yield return Case("MergePairOfOne", r => Model(r)["merges"] = new JsonArray(new JsonArray("a")), "model.merges[0] is an array; expected \"left right\"");
        yield return Case("UnkTokenNotInVocab", r => Model(r)["unk_token"] = "<unk>", "model.unk_token '<unk>' is not in model.vocab");
        yield return Case("ByteFallbackIsString", r => Model(r)["byte_fallback"] = "yes", "model.byte_fallback is the string \"yes\"; expected true or false");
        yield return Case("IgnoreMergesIsNumber", r => Model(r)["ignore_merges"] = 1, "model.ignore_merges is the number 1; expected true or false");
        yield return Case("ModelTypeWordPiece", r => Model(r)["type"] = "WordPiece", "model.type 'WordPiece' is not supported; supported: BPE");
        yield return Case("Dropout", r => Model(r)["dropout"] = 0.1, "model.dropout = 0.1 is not supported");
        yield return Case("SubwordPrefix", r => Model(r)["continuing_subword_prefix"] = "##", "model.continuing_subword_prefix = \"##\" is not supported");
        yield return Case("UnknownModelField", r => Model(r)["cache_capacity"] = 10, "model.cache_capacity is not supported");
        yield return Case("UnknownTopLevelField", r => r["extra"] = 1, "extra is not supported");
        yield return Case("Truncation", r => r["truncation"] = new JsonObject { ["max_length"] = 5 }, "truncation = {\"max_length\":5} is not supported");
        yield return Case("Padding", r => r["padding"] = new JsonObject(), "padding = {} is not supported");
        yield return Case("Version2", r => r["version"] = "2.0", "version is the string \"2.0\"; expected \"1.0\"");
        yield return Case("AddedTokensIsObject", r => r["added_tokens"] = new JsonObject(), "added_tokens is an object; expected a JSON array");
        yield return Case("AddedTokenWithoutId", r => Added(r).Remove("id"), "added_tokens[0].id is missing");
        yield return Case("AddedTokenIdIsString", r => Added(r)["id"] = "4", "added_tokens[0].id is the string \"4\"; expected a token id");
        yield return Case("AddedTokenWithoutContent", r => Added(r).Remove("content"), "added_tokens[0].content is missing");
        yield return Case("AddedTokenFlagMissing", r => Added(r).Remove("normalized"), "added_tokens[0].normalized is missing");
        yield return Case("AddedTokenFlagIsString", r => Added(r)["special"] = "true", "added_tokens[0].special is the string \"true\"; expected true or false");
        yield return Case("AddedTokenWrongId", r => Added(r)["id"] = 9, "added_tokens[0] ('<|endoftext|>') has id 9, but Hugging Face gives it 4");
        yield return Case("AddedTokenIdOfOtherVocabEntry", r => Added(r)["content"] = "ab", "added_tokens[0] ('ab') has id 4, but Hugging Face gives it 2 (its id in model.vocab)");
        yield return Case("AddedTokensDuplicateId", r => r["added_tokens"]!.AsArray().Add(new JsonObject
        {
            ["id"] = 4, ["content"] = "<pad>", ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
        }), "added_tokens[1] ('<pad>') has id 4, but Hugging Face gives it 5");
        yield return Case("InvalidSplitRegex", r => Split(r)["pattern"] = new JsonObject { ["Regex"] = "([a-z" }, "pre_tokenizer.pretokenizers[0].pattern.Regex is not a valid regular expression");
        yield return Case("SplitPatternNeither", r => Split(r)["pattern"] = new JsonObject(), "pre_tokenizer.pretokenizers[0].pattern.Regex is missing");
        yield return Case("SplitBehaviorUnknown", r => Split(r)["behavior"] = "Sideways", "pre_tokenizer.pretokenizers[0].behavior is the string \"Sideways\"; expected one of Removed, Isolated");
        yield return Case("SplitBehaviorNumber", r => Split(r)["behavior"] = 1, "pre_tokenizer.pretokenizers[0].behavior is the number 1; expected a string");
        yield return Case("PreTokenizersIsObject", r => r["pre_tokenizer"]!["pretokenizers"] = new JsonObject(), "pre_tokenizer.pretokenizers is an object; expected a JSON array");
        yield return Case("PreTokenizerWhitespace", r => r["pre_tokenizer"] = new JsonObject { ["type"] = "Whitespace" },
            "pre_tokenizer.type 'Whitespace' is not supported; supported pre-tokenizers: Sequence, ByteLevel, Split, Metaspace");
        yield return Case("MetaspaceSchemeUnknown", r => r["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "sometimes" },
            "pre_tokenizer.prepend_scheme is the string \"sometimes\"; expected always, first or never");
        yield return Case("MetaspaceReplacementTwoChars", r => r["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "__" },
            "pre_tokenizer.replacement is the string \"__\"; expected one character");
        yield return Case("MetaspaceLegacyContradiction", r => r["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["add_prefix_space"] = false },
            "pre_tokenizer: add_prefix_space false contradicts prepend_scheme");
        yield return Case("PreTokenizerWithoutType", r => r["pre_tokenizer"] = new JsonObject(), "pre_tokenizer.type is missing");
        yield return Case("ByteLevelUnknownOption", r => r["pre_tokenizer"]!["pretokenizers"]![1]!["prefix"] = true, "pre_tokenizer.pretokenizers[1].prefix is not supported");
        yield return Case("NormalizerLowercase", r => r["normalizer"] = new JsonObject { ["type"] = "Lowercase" }, "normalizer.type 'Lowercase' is not supported");
        yield return Case("NormalizerReplaceRegex", r => r["normalizer"] = new JsonObject
        {
            ["type"] = "Replace", ["pattern"] = new JsonObject { ["Regex"] = " +" }, ["content"] = "_",
        }, "normalizer.pattern.Regex is not supported");
        yield return Case("NormalizerIsString", r => r["normalizer"] = "NFC", "normalizer is the string \"NFC\"; expected a JSON object");
        yield return Case("DecoderIsNumber", r => r["decoder"] = 3, "decoder is the number 3; expected a JSON object");
        yield return Case("PostProcessorIsArray", r => r["post_processor"] = new JsonArray(), "post_processor is an array; expected a JSON object");
    }

    [TestCaseSource(nameof(MalformedTokenizerJson))]
    public void Load_MalformedTokenizerJson_ErrorNamesFileAndField(Action<JsonObject> change, string expected)
    {
        var json = Valid();
        change(json);
        string path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, json.ToJsonString());
        var e = Assert.Throws<IclPruneException>(() => TokenizerLoader.Load(_dir));
        Assert.That(e!.Message, Does.StartWith(path + ": ").And.Contain(expected));
    }

    [Test]
    public void Load_ValidBase_Loads() // the base the cases above break is itself valid
    {
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), Valid().ToJsonString());
        Assert.That(TokenizerLoader.Load(_dir).Encode("ab<|endoftext|>"), Is.EqualTo(new[] { 2, 4 }));
    }

    [TestCase("[]", "the top level is an array; expected a JSON object")]
    [TestCase("{", "not valid JSON")]
    [TestCase("", "not valid JSON")]
    [TestCase("null", "the top level is null; expected a JSON object")]
    public void Load_TokenizerJsonNotAnObject_ErrorNamesFile(string text, string expected)
    {
        string path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, text);
        var e = Assert.Throws<IclPruneException>(() => TokenizerLoader.Load(_dir));
        Assert.That(e!.Message, Does.StartWith(path + ": ").And.Contain(expected));
    }

    [TestCase("[]", "the top level is an array; expected a JSON object")]
    [TestCase("""{"add_bos_token": "yes"}""", "add_bos_token is the string \"yes\"; expected true or false")]
    [TestCase("""{"bos_token": 5}""", "bos_token is the number 5; expected a token string or an object")]
    [TestCase("""{"eos_token": {"content": 5}}""", "eos_token.content is the number 5; expected a string")]
    [TestCase("""{"eos_token": {}}""", "eos_token.content is missing")]
    [TestCase("{]", "not valid JSON")]
    public void Load_MalformedTokenizerConfig_ErrorNamesFileAndField(string text, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), Valid().ToJsonString());
        string path = Path.Combine(_dir, TokenizerConfig.FileName);
        File.WriteAllText(path, text);
        var e = Assert.Throws<IclPruneException>(() => TokenizerLoader.Load(_dir));
        Assert.That(e!.Message, Does.StartWith(path + ": ").And.Contain(expected));
    }

    [TestCase("[]", "a b", "vocab.json", "the top level is an array; expected a JSON object")]
    [TestCase("""{"a": 0, "b": "x"}""", "a b", "vocab.json", "b is the string \"x\"; expected a token id")]
    [TestCase("""{"a": 0, "b": 0}""", "a b", "vocab.json", "id 0 is given to both 'a' and 'b'")]
    [TestCase("""{"a": 0, "b": 1, "ab": 2}""", "a b\nb x", "merges.txt", "line 3 ('b x') needs 'x', which is not in the vocabulary")]
    [TestCase("""{"a": 0, "b": 1, "ab": 2}""", "a b c", "merges.txt", "line 2 is 'a b c'; expected two tokens separated by one space")]
    public void Load_MalformedVocabOrMerges_ErrorNamesFileAndLine(string vocab, string merges, string file, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "vocab.json"), vocab);
        File.WriteAllText(Path.Combine(_dir, "merges.txt"), "#version: 0.2\n" + merges + "\n");
        var e = Assert.Throws<IclPruneException>(() => TokenizerLoader.Load(_dir));
        Assert.That(e!.Message, Does.StartWith(Path.Combine(_dir, file) + ": ").And.Contain(expected));
    }
}
