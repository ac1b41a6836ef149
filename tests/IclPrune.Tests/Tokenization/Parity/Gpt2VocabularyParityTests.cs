using IclPrune.Tokenization;

namespace IclPrune.Tests.Tokenization.Parity;

/// <summary>The true GPT-2 vocabulary (<see cref="Gpt2Ranks"/>): our ids against Hugging Face's on the whole corpus,
/// and the case with the ids Hugging Face gives it.</summary>
public sealed class Gpt2VocabularyParityTests
{
    string _dir = "";
    ITextTokenizer _ours = null!;
    HuggingFaceReference _reference = null!;

    [OneTimeSetUp]
    public void Load()
    {
        _dir = Directory.CreateTempSubdirectory("gpt2-parity-").FullName;
        string path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, Gpt2Ranks.TokenizerJson().ToJsonString());
        _ours = TokenizerLoader.Load(_dir);
        _reference = new HuggingFaceReference(path);
    }

    [OneTimeTearDown]
    public void Unload()
    {
        _reference.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void Encode_EveryCorpusText_SameIdsAsHuggingFace()
    {
        Assert.That(_ours.VocabSize, Is.EqualTo(50257));
        var mismatches = HuggingFaceParityTests.Compare(_ours, _reference, ParityCorpus.Texts, referenceAddsBos: false);
        Assert.That(mismatches, Is.Empty, $"{mismatches.Count} of {ParityCorpus.Texts.Count} texts differ: " + string.Join("\n", mismatches.Take(10)));
    }

    /// <summary>Issue 16, case 1: a supplementary-plane letter before "'s" (HF: [47728, 238, 229, 338]).</summary>
    [Test]
    public void Encode_SupplementaryLetterBeforeApostropheS_HuggingFaceIds() =>
        Assert.That(_ours.Encode("𝐇's"), Is.EqualTo(new[] { 47728, 238, 229, 338 }));

    [TestCase("Hello world", new[] { 15496, 995 })]
    [TestCase("<|endoftext|>", new[] { 50256 })]
    public void Encode_KnownGpt2Text_KnownIds(string text, int[] ids) => Assert.That(_ours.Encode(text), Is.EqualTo(ids));

    [Test]
    public void Decode_CorpusText_RoundTrips()
    {
        foreach (var text in ParityCorpus.Texts)
            Assert.That(_ours.Decode(_ours.Encode(text)), Is.EqualTo(text));
    }
}
