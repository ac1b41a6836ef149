// Cached vs naive ICL scoring on a GPT-2-small-shaped random model (12 layers, d 768, 12 heads, vocabulary 50,257,
// context 1,024), SST-2 template, 10 shots. Prints a markdown table for docs/performance.md.
// Usage: dotnet run -c Release --project benchmarks/EvalBenchmark -- [items=24] [threads=0 (torch default)]
using System.Diagnostics;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Prompts;
using IclPrune.Evaluation.Scoring;
using IclPrune.Evaluation.Tasks;
using IclPrune.Models;
using IclPrune.Runtime;
using IclPrune.Tests.Evaluation.Engine;
using TorchSharp;
using static TorchSharp.torch;

int items = args.Length > 0 ? int.Parse(args[0]) : 24;
int threads = args.Length > 1 ? int.Parse(args[1]) : 0;
string device = args.Length > 2 ? args[2] : "cpu";
TorchRuntime.EnsureInitialized();
if (threads > 0) torch.set_num_threads(threads);

// 300 words, each one token with its leading space, so a 20-word sentence is ~20 tokens as in real GPT-2 BPE.
var words = Enumerable.Range(0, 300).Select(i => Word(i)).ToList();
Console.Error.WriteLine("writing a GPT-2-small-shaped random checkpoint ...");
using var checkpoint = TinyGpt2Checkpoint.Create(seed: 1, words.Concat(["pos", "neg", "text", "sentiment"]), positions: 1024,
    hidden: 768, heads: 12, layers: 12, inner: 3072, vocabSize: 50257);
using var loaded = ModelLoader.Load(checkpoint.Folder, new ModelLoadOptions { Device = torch.device(device) });

string folder = Directory.CreateTempSubdirectory("eval-bench-").FullName;
var random = new Random(7);
string Sentence() => string.Join(" ", Enumerable.Range(0, 20).Select(_ => words[random.Next(words.Count)]));
File.WriteAllLines(Path.Combine(folder, "train.jsonl"), Enumerable.Range(0, 200).Select(i => $$"""{"sentence": "{{Sentence()}}", "label": {{i % 2}}}"""));
string yaml = TaskCatalog.Get("sst2").SourceText.Replace("per_class: 4000", "per_class: " + (items + 1) / 2).Replace("per_class: 500", "per_class: 20");
var task = TaskParser.Parse(yaml, "bench-sst2");
var data = TaskDataset.Load(task, DataSourceSpec.FromFolder(folder));

var options = new EvaluationOptions { Split = SplitRole.Validation, Seeds = [0], Limit = items };
var prepared = new EvaluationSession(loaded, data, options with { BatchSize = 8 }).Prepared(SplitRole.Validation);
var demonstrations = prepared.DemonstrationsOf(0);
long[] PromptIds(Example item) => loaded.Tokenizer.Encode(PromptRenderer.FullPrompt(task, demonstrations, item)).Select(x => (long)x).ToArray();
double meanPrompt = prepared.Items.Average(i => PromptIds(i).Length);
long[] labelIds = task.Classes.Select(c => (long)loaded.Tokenizer.Encode(" " + c.Text).Single()).ToArray();
var deviceObject = torch.device(device);

// Naive: the reference code's loop: batch 1, full prompt, logits over the whole vocabulary at every position,
// log-softmax, read the last row.
(double Seconds, List<int> Predictions) Naive()
{
    var clock = Stopwatch.StartNew();
    var predictions = new List<int>();
    using var noGrad = torch.inference_mode();
    foreach (var item in prepared.Items)
    {
        using var scope = torch.NewDisposeScope();
        var ids = PromptIds(item);
        var output = loaded.Model.Forward(new DecoderInput(torch.tensor(ids, device: deviceObject).view(1, ids.Length)));
        var logProbs = loaded.Model.Logits(output.Hidden)[0].log_softmax(-1);   // [T, V]
        var last = logProbs[ids.Length - 1].cpu();
        predictions.Add(Decision.Predict(labelIds.Select(id => (double)last[id].item<float>()).ToArray()));
    }
    return (clock.Elapsed.TotalSeconds, predictions);
}

(double Seconds, IReadOnlyList<int> Predictions, long Tokens) Engine(bool cache, int batch)
{
    using var session = new EvaluationSession(loaded, data, options with { UseCache = cache, BatchSize = batch });
    session.Prepared(SplitRole.Validation);   // tokenization out of the timing, as in a sweep
    var result = session.Run([]);
    return (result.Timing.Seconds, result.PerSeed[0].Predictions!, result.Timing.Tokens);
}

Engine(true, 8); // warm-up (allocator, kernels)
var naive = Naive();
var rows = new List<(string Name, double Seconds, IReadOnlyList<int> Predictions)> { ("naive (reference code's loop)", naive.Seconds, naive.Predictions) };
foreach (var (cache, batch) in new[] { (false, 1), (false, 8), (true, 1), (true, 8) })
{
    var run = Engine(cache, batch);
    rows.Add(($"engine, prefix cache {(cache ? "on" : "off")}, batch {batch}", run.Seconds, run.Predictions));
}

Console.WriteLine($"GPT-2-small shape (124M parameters, random weights), {device}, torch threads {torch.get_num_threads()}, " +
                  $"SST-2 template, 10 shots, {items} queries, mean prompt {meanPrompt:F0} tokens");
Console.WriteLine();
Console.WriteLine("| configuration | seconds | queries/s | speedup vs naive | same predictions as naive |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var (name, seconds, predictions) in rows)
    Console.WriteLine($"| {name} | {seconds:F2} | {items / seconds:F2} | {naive.Seconds / seconds:F1}x | {(predictions.SequenceEqual(naive.Predictions) ? "yes" : "NO")} |");
Directory.Delete(folder, recursive: true);

static string Word(int i)
{
    const string letters = "bcdfghjklmnprstvwz", vowels = "aeiou";
    return $"{letters[i % letters.Length]}{vowels[i / letters.Length % vowels.Length]}{letters[i / 90 % letters.Length]}{vowels[i % 3]}{letters[(i * 7) % letters.Length]}";
}
