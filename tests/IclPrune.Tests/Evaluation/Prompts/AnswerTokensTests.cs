using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Prompts;
using IclPrune.Evaluation.Tasks;
using IclPrune.Tokenization;

namespace IclPrune.Tests.Evaluation.Prompts;

/// <summary>Answers are tokenized in context (encode(query + answer) minus encode(query)), as the model will read them.</summary>
public class AnswerTokensTests
{
    const string Yaml = """
        id: spm-task
        type: classification
        template:
          demonstration: "{text} is {label}\n"
          query: "{text} is"
        labels:
          - {word: the, values: [1]}
          - {word: world, values: [0]}
        demonstrations: {shots: 0}
        splits: {seed: 1, demonstrations: {from: train, size: 1}, validation: {from: train, size: 1}, test: {from: test}}
        """;

    /// <summary>A Llama-2-style SentencePiece BPE (▁ word marker, dummy prefix, byte fallback).</summary>
    static SentencePieceBpeTokenizer Llama()
    {
        string[] merges = ["▁ t", "h e", "▁t he", "▁ w", "o r", "▁w or", "l d", "▁wor ld"];
        var vocab = new Dictionary<string, int> { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        for (int b = 0; b < 256; b++) vocab[$"<0x{b:X2}>"] = vocab.Count;
        foreach (var piece in new[] { "▁", "t", "h", "e", "w", "o", "r", "l", "d", "a", "i", "s", "x" }) vocab[piece] = vocab.Count;
        foreach (var merge in merges) vocab[merge.Replace(" ", "")] = vocab.Count;
        return new SentencePieceBpeTokenizer(vocab, merges, new Dictionary<string, int> { ["<s>"] = 1, ["</s>"] = 2 },
            byteFallback: true, bosTokenId: 1, eosTokenId: 2, addBosToken: true);
    }

    [Test]
    public void Answers_SentencePiece_AreTheWordPiecesTheModelReadsAfterTheQuery()
    {
        var tokenizer = Llama();
        var task = TaskParser.Parse(Yaml, "spm-task.yaml");
        var item = new Example("test", 0, new Dictionary<string, string> { ["text"] = "xa" }, 0);
        var answers = TokenizedPrompts.Answers(task, tokenizer, item, 0);
        var query = tokenizer.Encode("xa is");
        foreach (var (word, c) in new[] { ("the", 0), ("world", 1) })
        {
            var joint = tokenizer.Encode("xa is " + word);
            Assert.That(answers[c], Is.EqualTo(joint.Skip(query.Count).Select(x => (long)x)), word);
            Assert.That(answers[c], Has.Length.EqualTo(1), $"' {word}' in context is one word piece");
        }
        Assert.That(TokenizedPrompts.SingleTokenLabels(task, [answers]), Is.EqualTo(answers.Select(a => a[0])));
    }
}
