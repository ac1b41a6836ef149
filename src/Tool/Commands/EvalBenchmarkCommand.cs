using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IclPrune.Models;
using IclPrune.Tool.Cli;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `dev benchmark-eval`: how close the evaluator's forward pattern runs to the machine's matmul rate. A randomly initialized
/// model (GPT-2 small by default; --kv-heads below --heads gives a Llama shape with grouped-query attention) scores
/// --queries queries after one --prefix-token demonstration prefix, as GroupScorer does: the prefix once with its KV
/// cache, queries sorted by length (bucketed) and right-padded in batches, label rows of the head at each query's last
/// token, argmax on the host. Three arms on the same token ids: the shared prefix (no per-row copies), the prefix
/// cache expanded per row (the pre-issue-15 path: every layer concatenates a copy of the prefix K/V per row), and no
/// cache (every row carries the prefix). Useful FLOPs are counted from the config and the token counts (every matrix
/// product of the prefix once and of the query tokens, attention over the keys each token sees, label rows of the
/// head); achieved GFLOP/s = useful FLOPs / time, next to a bare [256 x D] x [D x I] matmul measured in the same
/// process. Prompts are token ids here: the evaluator tokenizes once before any forward (PreparedEvaluation), so
/// tokenization is outside the timed loop and not measured. Not a test: numbers go into docs/performance.md.
/// </summary>
public sealed class EvalBenchmarkCommand : Command
{
    readonly CliConsole _console;
    readonly DeviceOptions _device = new();
    static readonly Option<int> Layers = new("--layers") { DefaultValueFactory = _ => 12, Description = "Decoder layers." };
    static readonly Option<int> HiddenSize = new("--hidden") { DefaultValueFactory = _ => 768, Description = "Hidden size." };
    static readonly Option<int> Heads = new("--heads") { DefaultValueFactory = _ => 12, Description = "Attention heads." };
    static readonly Option<int?> KvHeads = new("--kv-heads") { Description = "Key/value heads; fewer than --heads: a Llama-shaped model (GQA, SwiGLU, rotary)." };
    static readonly Option<int> Vocab = new("--vocab") { DefaultValueFactory = _ => 50257, Description = "Vocabulary size (only label rows of the head are computed)." };
    static readonly Option<int> Prefix = new("--prefix") { DefaultValueFactory = _ => 190, Description = "Demonstration prefix tokens (SST-2, 10 shots, GPT-2 tokens: ~190)." };
    static readonly Option<int> Queries = new("--queries") { DefaultValueFactory = _ => 120, Description = "Scored queries." };
    static readonly Option<string> QueryLengths = new("--query-lengths") { DefaultValueFactory = _ => "8-24", Description = "Query token counts, uniform in MIN-MAX." };
    // A fixed batch shape, not the evaluator's auto token budget: the benchmark times one shape per arm.
    static readonly Option<int> Batch = new("--batch-size") { DefaultValueFactory = _ => 8, Description = "Queries per forward (a fixed batch; the evaluator's auto uses a token budget)." };
    static readonly Option<int> Iterations = new("--iterations") { DefaultValueFactory = _ => 2, Description = "Timed runs per arm after one warm-up (median)." };
    static readonly Option<bool> Json = new("--json") { Description = "Print JSON for machines." };

    public EvalBenchmarkCommand(CliConsole console) : base("benchmark-eval", "Achieved GFLOP/s of the evaluator's forward pattern vs a bare matmul, per phase, shared prefix vs copies vs no cache.")
    {
        _console = console;
        foreach (var o in new Option[] { Layers, HiddenSize, Heads, KvHeads, Vocab, Prefix, Queries, QueryLengths, Batch, Iterations, Json }) Options.Add(o);
        _device.AddTo(this);
        SetAction((parse, cancel) => Task.FromResult(Execute(parse, cancel)));
    }

    int Execute(ParseResult parse, CancellationToken cancel)
    {
        Runtime.TorchRuntime.EnsureInitialized(parse.GetValue(GlobalOptions.LibTorch));
        int layers = parse.GetValue(Layers), hidden = parse.GetValue(HiddenSize), heads = parse.GetValue(Heads);
        int kvHeads = parse.GetValue(KvHeads) ?? heads, vocab = parse.GetValue(Vocab), prefixLength = parse.GetValue(Prefix);
        int queries = parse.GetValue(Queries), batch = parse.GetValue(Batch), iterations = parse.GetValue(Iterations);
        if (layers <= 0 || heads <= 0 || hidden % heads != 0 || kvHeads <= 0 || heads % kvHeads != 0 || vocab < 2 || prefixLength <= 0
            || queries <= 0 || batch <= 0 || iterations <= 0)
            throw new UsageException($"invalid shape: --hidden {hidden} must be divisible by --heads {heads}, --heads by --kv-heads {kvHeads}; --vocab at least 2; layers, prefix, queries, batch size, iterations positive.");
        var (minLength, maxLength) = ParseRange(parse.GetValue(QueryLengths)!);
        var options = _device.LoadOptions(parse);
        bool llama = kvHeads != heads;
        int intermediate = llama ? 8 * hidden / 3 : 4 * hidden;
        var config = llama
            ? new ModelConfig("llama", vocab, hidden, layers, heads, kvHeads, hidden / heads, intermediate, 4096, 1e-5, "silu", false,
                new RopeConfig(hidden / heads, 10000, false), false, false, false, null, null, null)
            : new ModelConfig("gpt2", vocab, hidden, layers, heads, heads, hidden / heads, intermediate, 1024, 1e-5, "gelu_new", true,
                null, true, true, false, null, null, null);
        if (!llama && prefixLength + maxLength > config.MaxPositions)
            throw new UsageException($"--prefix {prefixLength} + longest query {maxLength} exceeds GPT-2's {config.MaxPositions} positions.");
        using var model = ModelLoader.Create(config, options);
        RandomInit(model);

        var generator = new Random(1);
        long[] prefix = Enumerable.Range(0, prefixLength).Select(_ => (long)generator.Next(vocab)).ToArray();
        var rows = Enumerable.Range(0, queries)
            .Select(_ => Enumerable.Range(0, generator.Next(minLength, maxLength + 1)).Select(_ => (long)generator.Next(vocab)).ToArray())
            .OrderBy(r => r.Length).ToList();   // bucketed by length, as GroupScorer orders a group's items
        long[] labels = [11, 22];
        var workload = new EvalWorkload(config, prefix.Length, rows.Select(r => r.Length).ToList(), labels.Length);
        _console.Progress.WriteLine($"benchmark-eval: {config.ModelType} {layers} layers, d {hidden}, {heads}/{kvHeads} heads, prefix {prefixLength}, " +
            $"{queries} queries of {minLength}-{maxLength} tokens, batch {batch}, {ModelLoadOptions.DTypeName(options.DType)} on {options.ResolvedDevice}, {get_num_threads()} threads");

        double matmul = BareMatmulGflops(hidden, intermediate, options);
        var runner = new EvalPatternRunner(model, prefix, rows, batch, labels, options.ResolvedDevice);
        var arms = new List<(string Name, PhaseTimes Times)>();
        foreach (var arm in new[] { EvalArm.SharedPrefix, EvalArm.BroadcastPrefix, EvalArm.ExpandedCopies, EvalArm.NoCache })
        {
            cancel.ThrowIfCancellationRequested();
            arms.Add((arm.ToString(), runner.Median(arm, iterations, cancel)));
        }
        double useful = workload.UsefulFlops;
        var table = new Table().Border(TableBorder.Simple).AddColumn("arm").AddColumn("total s").AddColumn("prefix s").AddColumn("query fwd s")
            .AddColumn("head s").AddColumn("scoring s").AddColumn("items/s").AddColumn("useful GFLOP/s").AddColumn("of matmul");
        foreach (var (name, t) in arms)
            table.AddRow(name, S(t.Total), S(t.Prefix), S(t.Query), S(t.Head), S(t.Scoring), F(queries / t.Total),
                F(useful / t.Total / 1e9), (useful / t.Total / 1e9 / matmul).ToString("F2", CultureInfo.InvariantCulture));
        if (parse.GetValue(Json))
        {
            _console.Output.WriteLine(JsonSerializer.Serialize(new
            {
                model_type = config.ModelType, layers, hidden, heads, kv_heads = kvHeads, prefix = prefixLength, queries, batch,
                query_tokens = workload.QueryTokens, useful_gflop = useful / 1e9, bare_matmul_gflops = matmul, threads = get_num_threads(),
                arms = arms.Select(a => new { arm = a.Name, total_s = a.Times.Total, prefix_s = a.Times.Prefix, query_s = a.Times.Query, head_s = a.Times.Head, scoring_s = a.Times.Scoring, useful_gflops = useful / a.Times.Total / 1e9 }),
            }));
            return ExitCodes.Success;
        }
        _console.Results.Write(table);
        _console.Results.WriteLine($"useful work {useful / 1e9:F1} GFLOP ({workload.QueryTokens} query tokens + {prefixLength} prefix tokens once); " +
            $"bare [256 x {hidden}] x [{hidden} x {intermediate}] matmul {matmul:F1} GFLOP/s in this process");
        return ExitCodes.Success;
    }

    static string S(double seconds) => seconds.ToString("F3", CultureInfo.InvariantCulture);
    static string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    static (int Min, int Max) ParseRange(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && int.TryParse(parts[0], out int min) && int.TryParse(parts[1], out int max) && min >= 1 && max >= min)
            return (min, max);
        throw new UsageException($"--query-lengths '{text}': expected MIN-MAX with 1 <= MIN <= MAX, e.g. 8-24.");
    }

    /// <summary>GFLOP/s of [256 x D] x [D x I] in the model dtype (median of 20 after a warm-up).</summary>
    static double BareMatmulGflops(int hidden, int intermediate, ModelLoadOptions options)
    {
        using var scope = NewDisposeScope();
        var a = randn([256, hidden], dtype: options.DType, device: options.ResolvedDevice);
        var b = randn([hidden, intermediate], dtype: options.DType, device: options.ResolvedDevice);
        var times = new List<double>();
        for (int i = 0; i < 21; i++)
        {
            var watch = Stopwatch.StartNew();
            using (var c = a.matmul(b))
                if (options.ResolvedDevice.type == DeviceType.CUDA) cuda.synchronize();
            if (i > 0) times.Add(watch.Elapsed.TotalSeconds);
        }
        times.Sort();
        return 2.0 * 256 * hidden * intermediate / times[times.Count / 2] / 1e9;
    }

    /// <summary>Scale of GPT-2's initialization (N(0, 0.02), norm weights 1, biases 0) so activations have realistic magnitudes.</summary>
    static void RandomInit(DecoderModel model)
    {
        using var noGrad = no_grad();
        var generator = new Generator(0);
        foreach (var (name, p) in model.NamedParameters)
        {
            bool norm = name.Contains("norm") || name.Contains(".ln_");
            if (norm && name.EndsWith(".weight", StringComparison.Ordinal)) p.fill_(1);
            else if (norm || name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else p.normal_(0, 0.02, generator);
        }
    }
}
