using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using IclPrune.Models;
using IclPrune.Pruning;
using IclPrune.Search;
using IclPrune.Tool.Cli;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `dev benchmark-prune`: measures the two reuse switches of the pruning engine on a randomly initialized GPT-2-shaped
/// model (docs/performance.md): (1) the SVD cache, applying every rate of the grid to one layer's module with one SVD
/// per matrix vs one per rate; (2) layer-input reuse, running the evaluator's forward pattern (a demonstrations prefix
/// with its KV cache, then batches of queries continuing it, label logits at the last position) for every rate with and
/// without skipping the layers below the pruned one. Both arms must give the same label logits; the largest
/// difference is printed.
/// </summary>
public sealed class PruneBenchmarkCommand : Command
{
    readonly CliConsole _console;
    readonly DeviceOptions _device = new();
    static readonly Option<int> Layers = new("--layers") { DefaultValueFactory = _ => 12, Description = "Decoder layers." };
    static readonly Option<int> HiddenSize = new("--hidden") { DefaultValueFactory = _ => 768, Description = "Hidden size (MLP 4x)." };
    static readonly Option<int> Heads = new("--heads") { DefaultValueFactory = _ => 12, Description = "Attention heads." };
    static readonly Option<int?> Layer = new("--layer") { Description = "Pruned layer (default: the second to last, as the paper's GPT-J 26 of 28)." };
    static readonly Option<string> Module = new("--module") { DefaultValueFactory = _ => "mlp", Description = "attn or mlp." };
    static readonly Option<int> Prefix = new("--prefix") { DefaultValueFactory = _ => 192, Description = "Demonstration prefix tokens." };
    static readonly Option<int> Queries = new("--queries") { DefaultValueFactory = _ => 64, Description = "Queries per configuration." };
    static readonly Option<int> QueryLength = new("--query-length") { DefaultValueFactory = _ => 24, Description = "Tokens per query." };
    static readonly Option<int> Batch = new("--batch-size") { DefaultValueFactory = _ => 8, Description = "Queries per forward (a fixed batch; the evaluator's auto uses a token budget)." };

    public PruneBenchmarkCommand(CliConsole console) : base("benchmark-prune", "Measure the SVD cache and layer-input reuse of the pruning engine (A/B).")
    {
        _console = console;
        foreach (var o in new Option[] { Layers, HiddenSize, Heads, Layer, Module, Prefix, Queries, QueryLength, Batch }) Options.Add(o);
        _device.AddTo(this);
        SetAction((parse, cancel) => Task.FromResult(Execute(parse, cancel)));
    }

    int Execute(ParseResult parse, CancellationToken cancel)
    {
        Runtime.TorchRuntime.EnsureInitialized(parse.GetValue(GlobalOptions.LibTorch));
        int layers = parse.GetValue(Layers), hidden = parse.GetValue(HiddenSize), heads = parse.GetValue(Heads);
        int layer = parse.GetValue(Layer) ?? Math.Max(1, layers - 2);
        string module = parse.GetValue(Module)!;
        if (layer < 1 || layer >= layers) throw new UsageException($"--layer {layer} must be in 1..{layers - 1} (layer 0 has nothing to reuse).");
        var options = _device.LoadOptions(parse);
        const int vocab = 1000;
        var config = new ModelConfig("gpt2", vocab, hidden, layers, heads, heads, hidden / heads, 4 * hidden, 1024,
            1e-5, "gelu_new", true, null, true, true, false, null, null, null);
        using var model = ModelLoader.Create(config, options);
        RandomInit(model);
        var map = PruneTargetMaps.For(model.Description, model.NamedParameters.Keys);
        var rates = RateGrid.Paper.Where(r => r > 0).ToList();
        var plans = rates.Select(r => PrunePlan.Resolve([PruneSpec.Parse($"{module}@{layer}:{r.ToString(CultureInfo.InvariantCulture)}")], map, layers, model.NamedParameters)).ToList();
        _console.Progress.WriteLine($"benchmark-prune: {layers} layers, d {hidden}, {module}@{layer}, {rates.Count} rates, {ModelLoadOptions.DTypeName(options.DType)} on {options.ResolvedDevice}, {get_num_threads()} threads");

        // 1. SVD cache (after a warm-up: the first SVD call initializes LAPACK).
        using (var warm = randn(64, 32)) linalg.svd(warm, fullMatrices: false).U.Dispose();
        var table = new Table().Border(TableBorder.Simple).AddColumn("measurement").AddColumn("off").AddColumn("on").AddColumn("speed-up");
        var (svdOff, countOff) = ApplyAll(model, plans, cache: false, options);
        var (svdOn, countOn) = ApplyAll(model, plans, cache: true, options);
        table.AddRow($"apply {rates.Count} rates (SVDs)", $"{svdOff:F2} s ({countOff})", $"{svdOn:F2} s ({countOn})", $"{svdOff / svdOn:F1}x");

        // 2. Layer-input reuse over the evaluator's forward pattern.
        var generator = new Generator(1);
        using var prefix = randint(0, vocab, [1, parse.GetValue(Prefix)], generator: generator).to(options.ResolvedDevice);
        var batches = new List<Tensor>();
        int queries = parse.GetValue(Queries), batch = parse.GetValue(Batch);
        if (queries <= 0 || batch <= 0) throw new UsageException($"--queries {queries} and --batch-size {batch} must be positive.");
        for (int q = 0; q < queries; q += batch)
            batches.Add(randint(0, vocab, [Math.Min(batch, queries - q), parse.GetValue(QueryLength)], generator: generator).to(options.ResolvedDevice));
        using var pruner = new Pruner(model.NamedParameters);
        var (plainSeconds, plainLogits) = Evaluate(model, null, pruner, plans, prefix, batches, options, cancel);
        using var reuse = new LayerInputReuse(model);
        var (reuseSeconds, reuseLogits) = Evaluate(model, reuse, pruner, plans, prefix, batches, options, cancel);
        double maxDiff = plainLogits.Zip(reuseLogits, (a, b) => (a - b).abs().max().item<float>()).Max();
        table.AddRow($"evaluate {rates.Count} configs ({queries} queries each)", $"{plainSeconds:F2} s", $"{reuseSeconds:F2} s", $"{plainSeconds / reuseSeconds:F1}x");
        _console.Results.Write(table);
        _console.Results.WriteLine($"label logits, reuse vs plain: max |difference| {maxDiff:G3}; reuse hits {reuse.Hits}, misses {reuse.Misses}");
        foreach (var t in plainLogits.Concat(reuseLogits).Concat(batches)) t.Dispose();
        return ExitCodes.Success;
    }

    static (double Seconds, int Svds) ApplyAll(DecoderModel model, List<PrunePlan> plans, bool cache, ModelLoadOptions options)
    {
        using var pruner = new Pruner(model.NamedParameters, cache);
        var watch = Stopwatch.StartNew();
        foreach (var plan in plans)
            using (pruner.Apply(plan))
                if (options.ResolvedDevice.type == DeviceType.CUDA) cuda.synchronize();
        return (watch.Elapsed.TotalSeconds, pruner.Cache.Decompositions);
    }

    static (double Seconds, List<Tensor> Logits) Evaluate(DecoderModel model, LayerInputReuse? reuse, Pruner pruner, List<PrunePlan> plans,
        Tensor prefix, List<Tensor> batches, ModelLoadOptions options, CancellationToken cancel)
    {
        ICausalLanguageModel runner = (ICausalLanguageModel?)reuse ?? model;
        long[] labels = [11, 22];
        var logits = new List<Tensor>();
        foreach (var plan in plans) using (pruner.Apply(plan)) { }   // SVDs out of the timing: both arms share the cache
        var watch = Stopwatch.StartNew();
        using var inference = inference_mode();
        foreach (var plan in plans)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = pruner.Apply(plan);
            if (reuse is not null) reuse.ReuseFrom = plan.FirstChangedLayer;
            using var dispose = NewDisposeScope();
            var cache = runner.Forward(new DecoderInput(prefix, UseCache: true)).Cache!;
            foreach (var ids in batches)
            {
                var hidden = runner.Forward(new DecoderInput(ids, Past: cache)).Hidden;   // [R, T, D], shared prefix
                logits.Add(runner.Logits(hidden[.., -1], labels).cpu().DetachFromDisposeScope());
            }
        }
        if (options.ResolvedDevice.type == DeviceType.CUDA) cuda.synchronize();
        return (watch.Elapsed.TotalSeconds, logits);
    }

    static void RandomInit(DecoderModel model)
    {
        using var noGrad = no_grad();
        var generator = new Generator(0);
        foreach (var (name, p) in model.NamedParameters)
        {
            if (name.Contains(".ln_") && name.EndsWith(".weight", StringComparison.Ordinal)) p.fill_(1);
            else if (name.Contains(".ln_") || name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else p.normal_(0, 0.02, generator);
        }
    }
}
