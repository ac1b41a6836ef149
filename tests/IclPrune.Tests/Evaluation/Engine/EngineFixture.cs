using IclPrune.Evaluation;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Prompts;
using IclPrune.Evaluation.Scoring;
using IclPrune.Evaluation.Tasks;
using IclPrune.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tests.Evaluation.Engine;

/// <summary>Tasks, data and the brute-force reference shared by the engine tests.</summary>
internal static class EngineFixture
{
    public static readonly string[] Words = ["pos", "neg", "Yes", "No", "Maybe"];

    /// <summary>The engine tests' GPT-2: d 32, 4 heads, 2 layers, inner 48, the label words single tokens, 3 unused ids.</summary>
    public static TinyCheckpoint Model(long seed, int positions = 512) =>
        Gpt2Checkpoints.WithTokenizer(new Gpt2Sizes(Vocab: 0, Hidden: 32, Heads: 4, Layers: 2, Inner: 48, Positions: positions), seed,
            Gpt2ByteVocabulary.Create(Words), unusedIds: 3);

    public static readonly string SentimentYaml = TinySentimentTask.Yaml(shots: 4, validationPerClass: 3, splitSeed: 5, trimFields: true);

    /// <summary>Label words that are several byte tokens each (no merges for them): scored by summed log-prob.</summary>
    public static readonly string MultiTokenYaml = SentimentYaml
        .Replace("id: tiny-sentiment", "id: tiny-multi")
        .Replace("{word: pos, values: [1]}", "{word: great, values: [1]}")
        .Replace("{word: neg, values: [0]}", "{word: awful, values: [0]}");

    public const string ChoiceYaml = """
        id: tiny-choice
        type: choice
        template:
          demonstration: "{premise}\n{question}\n{choice}\n"
          query: "{premise}\n{question}\n"
          answer: "{choice}\n"
        choices:
          - {field: choice1, values: [0]}
          - {field: choice2, values: [1]}
        demonstrations: {policy: balanced, shots: 3}
        splits:
          seed: 1
          validation: {from: train, size: 4}
          demonstrations: {from: train, rest: true}
          test: {from: test}
        """;

    public static TaskDataset Dataset(TempFolder folder, string yaml, int trainItems = 24, int testItems = 12)
    {
        var task = TaskParser.Parse(yaml, Path.Combine(folder.Path, "task.yaml"));
        string Adj(int i) => TinySentimentTask.Adjective(i);
        IEnumerable<string> Rows(string split, int n) => task.Type == TaskType.Choice
            ? Enumerable.Range(0, n).Select(i =>
                $$"""{"premise": "The {{split}} {{i}} was {{Adj(i)}}.", "question": "{{(i % 3 == 0 ? "cause" : "effect")}}", "choice1": "It got {{Adj(i + 1)}}.", "choice2": "A {{Adj(i + 2)}} {{Adj(i + 5)}} day.", "label": {{(i * 5 + 1) % 2}}}""")
            : TinySentimentTask.Rows(split, n, padded: true);
        File.WriteAllLines(Path.Combine(folder.Path, "train.jsonl"), Rows("train", trainItems));
        File.WriteAllLines(Path.Combine(folder.Path, "test.jsonl"), Rows("test", testItems));
        return TaskDataset.Load(task, DataSourceSpec.FromFolder(folder.Path));
    }

    /// <summary>
    /// The brute-force reference: for every item and class, the whole prompt string (demonstrations + query, the
    /// demonstrations that fit the context, dropped from the front) tokenized in one piece, the answer appended, one
    /// batch-1 forward without cache or padding, float64 log-softmax over the full vocabulary; summed (mean for
    /// choice tasks) over the answer tokens. Returns scores[item][class].
    /// </summary>
    public static double[][] BruteForceScores(LoadedModel loaded, PreparedEvaluation prepared, int seed)
    {
        var task = prepared.Data.Task;
        var tokenizer = loaded.Tokenizer;
        var demonstrations = prepared.DemonstrationsOf(seed);
        int context = loaded.Model.Description.MaxPositions;
        var scores = new double[prepared.Items.Count][];
        using var noGrad = torch.inference_mode();
        for (int i = 0; i < prepared.Items.Count; i++)
        {
            var item = prepared.Items[i];
            // Answers as the tokenizer splits them in context: encode(prompt + answer) minus encode(prompt).
            long[] Ids(string text) => tokenizer.Encode(text).Select(x => (long)x).ToArray();
            long[] whole = Ids(PromptRenderer.FullPrompt(task, demonstrations, item));
            var answers = Enumerable.Range(0, task.Classes.Count).Select(c =>
            {
                long[] joint = Ids(PromptRenderer.FullPrompt(task, demonstrations, item) + PromptRenderer.Answer(task, item, c));
                Assert.That(joint[..whole.Length], Is.EqualTo(whole), "the fixture's answers do not merge into the prompt");
                return joint[whole.Length..];
            }).ToList();
            bool singleToken = task.Type == TaskType.Classification && answers.All(a => a.Length == 1);
            int extra = singleToken ? 0 : answers.Max(a => a.Length) - 1;
            int k = demonstrations.Count;
            long[] Prompt(int kept) => tokenizer.Encode(PromptRenderer.FullPrompt(task, demonstrations.Skip(demonstrations.Count - kept), item)).Select(x => (long)x).ToArray();
            var prompt = Prompt(k);
            while (prompt.Length + extra > context) prompt = Prompt(--k);
            scores[i] = answers.Select(answer =>
            {
                using var scope = torch.NewDisposeScope();
                long[] ids = [.. prompt, .. answer.AsSpan(0, answer.Length - 1)]; // the last answer token is only a target
                var input = torch.tensor(ids).view(1, ids.Length);
                var output = loaded.Model.Forward(new DecoderInput(input));
                var logProbs = loaded.Model.Logits(output.Hidden)[0].to(ScalarType.Float64).log_softmax(-1); // [T, V]
                double sum = 0;
                for (int j = 0; j < answer.Length; j++) sum += logProbs[prompt.Length - 1 + j, answer[j]].item<double>();
                return task.Type == TaskType.Choice ? sum / answer.Length : sum;
            }).ToArray();
        }
        return scores;
    }

    public static void AssertMatchesBruteForce(LoadedModel loaded, PreparedEvaluation prepared, EvaluationResult result)
    {
        foreach (var seed in result.PerSeed)
        {
            var reference = BruteForceScores(loaded, prepared, seed.Seed);
            var correct = reference.Select((s, i) => Decision.IsCorrect(s, prepared.Items[i].Class)).ToList();
            var predicted = reference.Select(Decision.Predict).ToList();
            Assert.That(seed.ItemCorrect, Is.EqualTo(correct), $"seed {seed.Seed}: per-item correctness");
            Assert.That(seed.Predictions, Is.EqualTo(predicted), $"seed {seed.Seed}: predictions");
            Assert.That(seed.Correct, Is.EqualTo(correct.Count(c => c)));
        }
    }
}
