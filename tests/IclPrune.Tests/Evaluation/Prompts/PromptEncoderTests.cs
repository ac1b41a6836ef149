using System.Text.Json;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Prompts;
using IclPrune.Evaluation.Tasks;
using IclPrune.Tests.Evaluation.Engine;
using IclPrune.Tokenization;

namespace IclPrune.Tests.Evaluation.Prompts;

/// <summary>PromptEncoder's split encoding equals encoding the whole prompt string, and falls back where it would not.</summary>
public class PromptEncoderTests
{
    static TinyCheckpoint _checkpoint = null!;

    [OneTimeSetUp]
    public void SetUp() => _checkpoint = Gpt2Checkpoints.WithTokenizer(new Gpt2Sizes(Vocab: 0, Hidden: 8, Heads: 2, Layers: 1, Inner: 8, Positions: 64), seed: 1,
        Gpt2ByteVocabulary.Create(["pos", "neg", "text"]), unusedIds: 3);

    [OneTimeTearDown]
    public void TearDown() => _checkpoint.Dispose();

    static ITextTokenizer Tokenizer(bool addPrefixSpace)
    {
        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(_checkpoint.Folder, "vocab.json")))!;
        var merges = File.ReadAllLines(Path.Combine(_checkpoint.Folder, "merges.txt")).Where(l => l.Length > 0 && !l.StartsWith('#'));
        return new ByteLevelBpeTokenizer(vocab, merges, new Dictionary<string, int>(), ByteLevelBpeTokenizer.Gpt2Pattern,
            addPrefixSpace, bosTokenId: null, eosTokenId: null, addBosToken: false);
    }

    static (TaskDefinition Task, List<Example> Items) Sst2Items()
    {
        var task = TaskCatalog.Get("sst2");
        var texts = new[] { "a gripping film ", "dull, slow!", "it's  fine\n\nreally", " 42 times", "ok" };
        var items = texts.Select((t, i) => new Example("train", i, new Dictionary<string, string> { ["sentence"] = t }, i % 2)).ToList();
        return (task, items);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Prompt_AnyQuery_EqualsEncodingTheWholeString(bool addPrefixSpace)
    {
        var tokenizer = Tokenizer(addPrefixSpace);
        var (task, items) = Sst2Items();
        var demonstrations = items.Take(3).ToList();
        var encoder = new PromptEncoder(task, tokenizer, demonstrations);
        // GPT-2 style splits exactly before the last demonstration; a prefix space would be added twice there.
        Assert.That(encoder.SplitsAtLastDemonstration, Is.EqualTo(!addPrefixSpace));
        foreach (var query in items)
        {
            string whole = PromptRenderer.FullPrompt(task, demonstrations, query);
            Assert.That(encoder.Prompt(PromptRenderer.Query(task, query)), Is.EqualTo(tokenizer.Encode(whole).Select(x => (long)x)), whole);
        }
        Assert.That(encoder.Prefix, Is.EqualTo(tokenizer.Encode(PromptRenderer.Prefix(task, demonstrations)).Select(x => (long)x)));
    }

    [Test]
    public void Prompt_NoDemonstrations_IsTheQueryAlone()
    {
        var tokenizer = Tokenizer(false);
        var (task, items) = Sst2Items();
        var encoder = new PromptEncoder(task, tokenizer, []);
        Assert.That(encoder.Prefix, Is.Empty);
        Assert.That(encoder.Prompt("text: ok\n sentiment :"), Is.EqualTo(tokenizer.Encode("text: ok\n sentiment :").Select(x => (long)x)));
    }
}
