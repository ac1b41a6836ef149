using System.Text.Json;
using IclPrune.Tokenization;

namespace IclPrune.Tests.Tokenization;

/// <summary>
/// A Llama-2-style tokenizer.json (normalizer Prepend ▁ + Replace " " -> ▁, BPE with byte_fallback, &lt;0xXX&gt; byte
/// tokens), small enough to derive expected encodings by hand.
/// </summary>
public sealed class SentencePieceBpeTokenizerTests
{
    static readonly string[] Merges = ["▁ t", "h e", "▁t he", "▁ w", "o r", "▁w or", "l d", "▁wor ld"];
    string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("spm-tests-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    static Dictionary<string, int> Vocabulary()
    {
        var vocab = new Dictionary<string, int> { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        for (int b = 0; b < 256; b++)
            vocab[$"<0x{b:X2}>"] = vocab.Count;
        foreach (var piece in new[] { "▁", "t", "h", "e", "w", "o", "r", "l", "d", "a" })
            vocab[piece] = vocab.Count;
        foreach (var merge in Merges)
            vocab[merge.Replace(" ", "")] = vocab.Count;
        return vocab;
    }

    ITextTokenizer Load(string? tokenizerConfig = null)
    {
        var json = new Dictionary<string, object?>
        {
            ["added_tokens"] = new[] { "<unk>", "<s>", "</s>" }.Select((content, id) =>
                new { id, content, single_word = false, lstrip = false, rstrip = false, normalized = false, special = true }),
            ["normalizer"] = new { type = "Sequence", normalizers = new object[] { new { type = "Prepend", prepend = "▁" }, new { type = "Replace", pattern = new { String = " " }, content = "▁" } } },
            ["pre_tokenizer"] = null,
            ["model"] = new { type = "BPE", byte_fallback = true, fuse_unk = true, unk_token = "<unk>", vocab = Vocabulary(), merges = Merges },
        };
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), JsonSerializer.Serialize(json));
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), tokenizerConfig ?? """{"bos_token": "<s>", "eos_token": "</s>"}""");
        return TokenizerLoader.Load(_dir);
    }

    static int[] Expect(params string[] pieces) => pieces.Select(p => Vocabulary()[p]).ToArray();

    [Test]
    public void Encode_Words_MergedWithSpaceMarker() =>
        Assert.That(Load().Encode("the world"), Is.EqualTo(Expect("▁the", "▁world")));

    [Test]
    public void Encode_UnknownCharacters_ByteFallback() =>
        Assert.That(Load().Encode("té"), Is.EqualTo(Expect("▁t", "<0xC3>", "<0xA9>")));

    [Test]
    public void Encode_SpecialTokenInText_ItsId() =>
        Assert.That(Load().Encode("the</s>"), Is.EqualTo(Expect("▁the", "</s>")));

    [Test]
    public void Encode_RepeatedSpaces_EachBecomesMarker() =>
        Assert.That(Load().Encode("a  a"), Is.EqualTo(Expect("▁", "a", "▁", "▁", "a")));

    [TestCase("the world")]
    [TestCase("Hello, wörld! 🙂 日本")]
    [TestCase("two  spaces and\nnewline")]
    public void Decode_Encode_RoundTrips(string text)
    {
        var tokenizer = Load();
        Assert.That(tokenizer.Decode(tokenizer.Encode(text)), Is.EqualTo(text));
    }

    [Test]
    public void Encode_MergeAcrossWordStart_WholeTextMerged()
    {
        // No pre-tokenizer: the whole normalized text is one word, so a merge producing "e▁" joins across a space.
        var vocab = Vocabulary();
        vocab["e▁"] = vocab.Count;
        var tokenizer = new SentencePieceBpeTokenizer(vocab, ["e ▁", .. Merges], new Dictionary<string, int>(), true, 1, 2, true);
        Assert.That(tokenizer.Encode("the world"), Is.EqualTo(new[] { vocab["▁t"], vocab["h"], vocab["e▁"], vocab["w"], vocab["or"], vocab["ld"] }));
    }

    [Test]
    public void Load_Defaults_BosAddedLikeLlama()
    {
        var tokenizer = Load();
        Assert.That(tokenizer.AddBosToken, Is.True);
        Assert.That(tokenizer.BosTokenId, Is.EqualTo(1));
        Assert.That(tokenizer.EosTokenId, Is.EqualTo(2));
        Assert.That(tokenizer.TokenText(Vocabulary()["▁world"]), Is.EqualTo(" world"));
    }

    [Test]
    public void Load_AddBosFalseInConfig_Respected() =>
        Assert.That(Load("""{"add_bos_token": false, "bos_token": {"content": "<s>"}}""").AddBosToken, Is.False);
}
