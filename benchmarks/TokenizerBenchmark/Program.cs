// Tokenizer throughput per family on ordinary and degenerate 5,000-character texts, ours against Hugging Face's Rust
// tokenizers (Tokenizers.DotNet) in the same process. Prints a markdown table for docs/performance.md ("Tokenizers").
// Usage: dotnet run -c Release --project benchmarks/TokenizerBenchmark
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using IclPrune.Tests.Tokenization.Parity;
using IclPrune.Tokenization;

var families = new List<(string Name, JsonObject Json, string? Config)>
{
    ("GPT-2 (real vocabulary, 50,257)", Gpt2Ranks.TokenizerJson(), null),
};
foreach (var (name, variant) in new[] { ("Llama 3-style (ignore_merges, Split regex)", "llama3"), ("Llama 2 / Mistral-style (byte fallback)", "llama2") })
{
    var v = ParityVariants.All().Single(v => v.Name == variant);
    families.Add(($"{name}, synthetic vocabulary", v.TokenizerJson, v.TokenizerConfig));
}

var prompt = new StringBuilder();
while (prompt.Length < 5000)
    prompt.Append("Review: the movie was great, I'd watch it again!\nSentiment: positive\n\nReview: a dull, lifeless plot.\nSentiment: negative\n\n");
var texts = new List<(string Name, string Text)>
{
    ("ICL prompt (English)", prompt.ToString(0, 5000)),
    ("mixed (accents, CJK, emoji, digits)", ParityCorpus.LongTexts(new Random(3)).Last()),
    ("'a' x 5000", new string('a', 5000)),
    ("' ' x 5000", new string(' ', 5000)),
    ("'\\n' x 5000", new string('\n', 5000)),
    ("'1' x 5000", new string('1', 5000)),
    ("'𝐇' x 2500 (5000 chars)", string.Concat(Enumerable.Repeat("𝐇", 2500))),
};

Console.WriteLine("| family | text (5,000 chars) | tokens | ours ms | HF Rust ms | ours tokens/s | ours / HF |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
foreach (var (family, json, config) in families)
{
    string dir = Directory.CreateTempSubdirectory("tokenizer-bench-").FullName;
    File.WriteAllText(Path.Combine(dir, "tokenizer.json"), json.ToJsonString());
    if (config is not null)
        File.WriteAllText(Path.Combine(dir, TokenizerConfig.FileName), config);
    var ours = TokenizerLoader.Load(dir);
    using var reference = new HuggingFaceReference(Path.Combine(dir, "tokenizer.json"));
    foreach (var (name, text) in texts)
    {
        int tokens = ours.Encode(text).Count;
        double oursMs = Milliseconds(() => ours.Encode(text));
        double hfMs = Milliseconds(() => reference.Encode(text));
        Console.WriteLine($"| {family} | {name} | {tokens:N0} | {oursMs:F2} | {hfMs:F2} | {tokens / (oursMs / 1000):N0} | {oursMs / hfMs:F1} |");
    }
    Directory.Delete(dir, recursive: true);
}

// Median of repeated runs after a warm-up (both sides cache words, so this is the steady state of a long evaluation).
static double Milliseconds(Action encode)
{
    for (int i = 0; i < 3; i++)
        encode();
    var runs = new List<double>();
    var total = Stopwatch.StartNew();
    while (runs.Count < 15 || (total.ElapsedMilliseconds < 300 && runs.Count < 200))
    {
        var watch = Stopwatch.StartNew();
        encode();
        runs.Add(watch.Elapsed.TotalMilliseconds);
    }
    runs.Sort();
    return runs[runs.Count / 2];
}
