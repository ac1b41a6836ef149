using System.Text.Json;
using IclPrune.Tokenization;

namespace IclPrune.Tests.Tokenization.Parity;

/// <summary>
/// Differential tests: every tokenizer.json of <see cref="ParityVariants"/> is loaded by our loader and by Hugging
/// Face's Rust tokenizers, and every text of <see cref="ParityCorpus"/> must get identical ids (100%, no tolerance).
/// </summary>
public sealed class HuggingFaceParityTests
{
    string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("hf-parity-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    static IEnumerable<ParityVariant> Variants() => ParityVariants.All();

    [TestCaseSource(nameof(Variants))]
    public void Encode_EveryCorpusText_SameIdsAsHuggingFace(ParityVariant variant)
    {
        var (ours, reference) = Load(variant);
        using (reference)
        {
            Assert.That(ours.AddBosToken, Is.EqualTo(variant.ReferenceAddsBos), "add_bos_token agrees with the post-processor template");
            var mismatches = Compare(ours, reference, ParityCorpus.Texts, variant.ReferenceAddsBos);
            Assert.That(mismatches, Is.Empty, $"{mismatches.Count} of {ParityCorpus.Texts.Count} texts differ from Hugging Face; the first: "
                + string.Join("\n", mismatches.Take(10)));
        }
    }

    /// <summary>The texts the issue quotes, on the families they came from (synthetic vocabularies; the real GPT-2
    /// vocabulary has its own test in <see cref="Gpt2VocabularyParityTests"/>).</summary>
    [TestCase("llama3", " 𝟏𝟐")]
    [TestCase("llama3", "Tiếng Việt có dấu")]
    [TestCase("llama2", "hello</s>world")]
    [TestCase("llama2", "<s>hello")]
    [TestCase("llama2", "a </s> b")]
    [TestCase("gpt2", "𝐇's")]
    public void Encode_IssueCase_SameIdsAsHuggingFace(string variantName, string text)
    {
        var variant = ParityVariants.All().Single(v => v.Name == variantName);
        var (ours, reference) = Load(variant);
        using (reference)
            Assert.That(Compare(ours, reference, [text], variant.ReferenceAddsBos), Is.Empty);
    }

    [Test]
    public void Encode_IgnoreMerges_WholeWordInVocabularyIsOneToken()
    {
        // "Tiếng" is in the vocabulary but no merge chain builds it: with ignore_merges it is one token, without not.
        var variants = ParityVariants.All().ToDictionary(v => v.Name);
        var (withIgnore, r1) = Load(variants["llama3"]);
        r1.Dispose();
        var (without, r2) = Load(variants["llama3-merges-not-ignored"]);
        r2.Dispose();
        Assert.That(withIgnore.Encode("Tiếng"), Has.Count.EqualTo(1));
        Assert.That(without.Encode("Tiếng"), Has.Count.GreaterThan(1));
    }

    internal static List<string> Compare(ITextTokenizer ours, HuggingFaceReference reference, IEnumerable<string> texts, bool referenceAddsBos)
    {
        var mismatches = new List<string>();
        foreach (var text in texts)
        {
            int[] expected = reference.Encode(text);
            int[] actual = [.. referenceAddsBos ? [ours.BosTokenId!.Value] : Array.Empty<int>(), .. ours.Encode(text)];
            if (!actual.SequenceEqual(expected))
                mismatches.Add($"{JsonSerializer.Serialize(Shorten(text))}: ours [{Shorten(string.Join(",", actual))}], HF [{Shorten(string.Join(",", expected))}]");
        }
        return mismatches;
    }

    static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "...";

    (ITextTokenizer Ours, HuggingFaceReference Reference) Load(ParityVariant variant)
    {
        string path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, variant.TokenizerJson.ToJsonString());
        if (variant.TokenizerConfig is { } config)
            File.WriteAllText(Path.Combine(_dir, TokenizerConfig.FileName), config);
        else
            File.Delete(Path.Combine(_dir, TokenizerConfig.FileName));
        return (TokenizerLoader.Load(_dir), new HuggingFaceReference(path));
    }
}
