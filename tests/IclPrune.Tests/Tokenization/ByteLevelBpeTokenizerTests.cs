using System.Text.Json;
using IclPrune.Tokenization;

namespace IclPrune.Tests.Tokenization;

/// <summary>
/// No real GPT-2 vocabulary is available offline, so each test writes a small one in GPT-2's formats: the 256
/// byte characters of GPT-2's bytes_to_unicode table, a few merges, and &lt;|endoftext|&gt;. Expected encodings are
/// derived by hand from GPT-2's algorithm (regex pre-tokenization, byte mapping, merges by rank).
/// </summary>
public sealed class ByteLevelBpeTokenizerTests
{
    static readonly string[] Merges = ["Ġ t", "h e", "Ġt he", "Ġ w", "o r", "l d", "Ġw or", "Ġwor ld", "i n", "Ġ in", "Ċ Ċ", "3 4", "1 2", "12 3"];
    string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("bpe-tests-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    static Dictionary<string, int> Vocabulary()
    {
        var vocab = new Dictionary<string, int>();
        foreach (string symbol in Gpt2ByteVocabulary.ByteSymbols) // GPT-2's bytes_to_unicode, byte b at id b
            vocab[symbol] = vocab.Count;
        foreach (var merge in Merges)
            vocab[merge.Replace(" ", "")] = vocab.Count;
        vocab["<|endoftext|>"] = vocab.Count;
        return vocab;
    }

    ITextTokenizer FromVocabAndMerges()
    {
        File.Delete(Path.Combine(_dir, "tokenizer.json")); // the loader prefers tokenizer.json when both exist
        File.WriteAllText(Path.Combine(_dir, "vocab.json"), JsonSerializer.Serialize(Vocabulary()));
        File.WriteAllLines(Path.Combine(_dir, "merges.txt"), ["#version: 0.2", .. Merges]);
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), """{"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>"}""");
        return TokenizerLoader.Load(_dir);
    }

    ITextTokenizer FromTokenizerJson()
    {
        var vocab = Vocabulary();
        var json = new Dictionary<string, object>
        {
            ["added_tokens"] = new[] { new { id = vocab["<|endoftext|>"], content = "<|endoftext|>", single_word = false, lstrip = false, rstrip = false, normalized = false, special = true } },
            ["pre_tokenizer"] = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = true },
            ["decoder"] = new { type = "ByteLevel" },
            ["model"] = new { type = "BPE", vocab, merges = Merges.Select(m => m.Split(' ')).ToArray() },
        };
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), JsonSerializer.Serialize(json));
        return TokenizerLoader.Load(_dir);
    }

    static int[] Expect(params string[] tokens)
    {
        var vocab = Vocabulary();
        return tokens.Select(t => vocab[t]).ToArray();
    }

    static IEnumerable<TestCaseData> KnownEncodings()
    {
        yield return new TestCaseData("the", new[] { "t", "he" }).SetName("Encode_NoLeadingSpace_NoSpaceMerge");
        yield return new TestCaseData(" the world", new[] { "Ġthe", "Ġworld" }).SetName("Encode_LeadingSpaces_MergedWithWord");
        yield return new TestCaseData("the  world", new[] { "t", "he", "Ġ", "Ġworld" }).SetName("Encode_DoubleSpace_LastSpaceJoinsWord");
        // \s+(?!\S) leaves the last newline before a word on its own (GPT-2: "Hello\n\nWorld" -> 198, 198).
        yield return new TestCaseData("in\n\nworld", new[] { "in", "Ċ", "Ċ", "w", "or", "ld" }).SetName("Encode_NewlinesBeforeWord_SplitApart");
        yield return new TestCaseData("in\n\n", new[] { "in", "ĊĊ" }).SetName("Encode_NewlinesAtEnd_Merged");
        yield return new TestCaseData("é", new[] { "Ã", "©" }).SetName("Encode_Unicode_TwoUtf8Bytes");
        yield return new TestCaseData("the<|endoftext|> the", new[] { "t", "he", "<|endoftext|>", "Ġthe" }).SetName("Encode_SpecialTokenInText_ItsId");
    }

    [TestCaseSource(nameof(KnownEncodings))]
    public void VocabAndMerges_KnownText_KnownIds(string text, string[] tokens) =>
        Assert.That(FromVocabAndMerges().Encode(text), Is.EqualTo(Expect(tokens)));

    [TestCaseSource(nameof(KnownEncodings))]
    public void TokenizerJson_KnownText_SameIds(string text, string[] tokens) =>
        Assert.That(FromTokenizerJson().Encode(text), Is.EqualTo(Expect(tokens)));

    [TestCase("Hello, world! It's 2024.")]
    [TestCase("  leading and trailing  ")]
    [TestCase("tabs\tand\nnewlines\r\n")]
    [TestCase("naïve café 日本語 🙂 ∑")]
    [TestCase("")]
    public void Decode_Encode_RoundTrips(string text)
    {
        var tokenizer = FromVocabAndMerges();
        Assert.That(tokenizer.Decode(tokenizer.Encode(text)), Is.EqualTo(text));
    }

    [Test]
    public void Load_SpecialTokensAndDefaults_FromTokenizerConfig()
    {
        var tokenizer = FromVocabAndMerges();
        int eot = Vocabulary()["<|endoftext|>"];
        Assert.That(tokenizer.BosTokenId, Is.EqualTo(eot));
        Assert.That(tokenizer.EosTokenId, Is.EqualTo(eot));
        Assert.That(tokenizer.AddBosToken, Is.False, "GPT-2 adds no BOS");
        Assert.That(tokenizer.VocabSize, Is.EqualTo(eot + 1));
        Assert.That(tokenizer.TokenText(Vocabulary()["Ġworld"]), Is.EqualTo(" world"));
    }

    /// <summary>Llama 3's tokenizer.json: a Split regex (digits in groups of up to three) before ByteLevel, and BOS
    /// from the post_processor template instead of add_bos_token.</summary>
    ITextTokenizer Llama3Style()
    {
        var vocab = Vocabulary();
        vocab["<|begin_of_text|>"] = vocab.Count;
        const string pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
        var json = new Dictionary<string, object>
        {
            ["added_tokens"] = new[] { new { id = vocab["<|begin_of_text|>"], content = "<|begin_of_text|>", single_word = false, lstrip = false, rstrip = false, normalized = false, special = true } },
            ["pre_tokenizer"] = new
            {
                type = "Sequence",
                pretokenizers = new object[]
                {
                    new { type = "Split", pattern = new { Regex = pattern }, behavior = "Isolated", invert = false },
                    new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = false },
                },
            },
            ["post_processor"] = new
            {
                type = "Sequence",
                processors = new object[]
                {
                    new { type = "ByteLevel" },
                    new { type = "TemplateProcessing", single = new object[] { new { SpecialToken = new { id = "<|begin_of_text|>", type_id = 0 } }, new { Sequence = new { id = "A", type_id = 0 } } } },
                },
            },
            ["model"] = new { type = "BPE", vocab, merges = Merges },
        };
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), JsonSerializer.Serialize(json));
        return TokenizerLoader.Load(_dir);
    }

    [Test]
    public void TokenizerJson_SplitRegex_DigitsInGroupsOfThree()
    {
        // Llama 3's pattern splits "12345" into 123 | 45: merges give [123, 4, 5]. GPT-2's pattern keeps one piece,
        // where "3 4" (the better rank) wins first: [12, 34, 5].
        Assert.That(Llama3Style().Encode("12345"), Is.EqualTo(Expect("123", "4", "5")));
        Assert.That(FromVocabAndMerges().Encode("12345"), Is.EqualTo(Expect("12", "34", "5")));
        Assert.That(Llama3Style().Decode(Llama3Style().Encode("x 12345, the world")), Is.EqualTo("x 12345, the world"));
    }

    [Test]
    public void TokenizerJson_TemplateStartsWithBos_AddBosTrue()
    {
        var tokenizer = Llama3Style();
        Assert.That(tokenizer.AddBosToken, Is.True);
        Assert.That(tokenizer.BosTokenId, Is.EqualTo(Vocabulary().Count));
    }

    [Test]
    public void Load_NoTokenizerFiles_ErrorNamesFolderAndFiles()
    {
        var e = Assert.Throws<IclPruneException>(() => TokenizerLoader.Load(_dir));
        Assert.That(e!.Message, Does.Contain(_dir).And.Contain("tokenizer.json"));
    }
}
