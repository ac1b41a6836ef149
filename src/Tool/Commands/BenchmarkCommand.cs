using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IclPrune.Models;
using IclPrune.Runtime;
using IclPrune.Tool.Cli;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `dev benchmark`: forward throughput of a randomly initialized GPT-2-shaped model (default GPT-2 small: 12 layers,
/// d 768, 12 heads, T 256, vocabulary 50257, full-vocabulary head), through the model classes and, as the baseline,
/// the same ops written as plain libtorch calls on the same weights. Tokens/s per batch size and peak RSS. Not a test:
/// numbers go into docs/performance.md with the machine described.
/// </summary>
public sealed class BenchmarkCommand : Command
{
    readonly CliConsole _console;
    readonly Option<int> _layers = new("--layers") { DefaultValueFactory = _ => 12, Description = "Decoder layers." };
    readonly Option<int> _hidden = new("--hidden") { DefaultValueFactory = _ => 768, Description = "Hidden size." };
    readonly Option<int> _heads = new("--heads") { DefaultValueFactory = _ => 12, Description = "Attention heads." };
    readonly Option<int> _vocab = new("--vocab") { DefaultValueFactory = _ => 50257, Description = "Vocabulary size (full head computed)." };
    readonly Option<int> _length = new("--length") { DefaultValueFactory = _ => 256, Description = "Tokens per sequence." };
    readonly Option<string> _batches = new("--batches") { DefaultValueFactory = _ => "1,8", Description = "Batch sizes, comma-separated." };
    readonly Option<int> _iterations = new("--iterations") { DefaultValueFactory = _ => 3, Description = "Timed forwards per batch size (after one warm-up)." };
    readonly DeviceOptions _device = new();
    readonly Option<bool> _json = new("--json") { Description = "Print JSON for machines." };

    public BenchmarkCommand(CliConsole console) : base("benchmark", "Forward throughput (tokens/s) of a random GPT-2-shaped model vs plain libtorch ops.")
    {
        _console = console;
        foreach (var option in new Option[] { _layers, _hidden, _heads, _vocab, _length, _batches, _iterations, _json })
            Options.Add(option);
        _device.AddTo(this);
        SetAction((parse, cancel) => Task.FromResult(Execute(parse, cancel)));
    }

    int Execute(ParseResult parse, CancellationToken cancel)
    {
        TorchRuntime.EnsureInitialized(parse.GetValue(GlobalOptions.LibTorch));
        int layers = parse.GetValue(_layers), hidden = parse.GetValue(_hidden), heads = parse.GetValue(_heads);
        int vocab = parse.GetValue(_vocab), length = parse.GetValue(_length), iterations = parse.GetValue(_iterations);
        if (hidden % heads != 0 || layers <= 0 || vocab <= 0 || length <= 0 || iterations <= 0)
            throw new UsageException($"invalid shape: hidden {hidden} must be divisible by heads {heads}; layers, vocab, length, iterations positive.");
        var batches = parse.GetValue(_batches)!.Split(',', StringSplitOptions.TrimEntries)
            .Select(b => int.TryParse(b, out int v) && v > 0 ? v : throw new UsageException($"--batches: '{b}' is not a positive integer.")).ToArray();
        var options = _device.LoadOptions(parse);
        var config = new ModelConfig("gpt2", vocab, hidden, layers, heads, heads, hidden / heads, 4 * hidden, Math.Max(1024, length),
            1e-5, "gelu_new", true, null, true, true, false, null, null, null);
        using var model = ModelLoader.Create(config, options);
        RandomInit(model);
        _console.Progress.MarkupLine($"benchmark: {layers} layers, d {hidden}, {heads} heads, vocab {vocab}, T {length}, {ModelLoadOptions.DTypeName(options.DType)} on {options.ResolvedDevice}, {torch.get_num_threads()} threads");

        var rows = new List<object>();
        var table = new Table().Border(TableBorder.Simple).AddColumn("batch").AddColumn("model tok/s").AddColumn("libtorch tok/s").AddColumn("ratio").AddColumn("ms/forward");
        using var noGrad = torch.no_grad();
        var generator = new Generator(1);
        foreach (int batch in batches)
        {
            cancel.ThrowIfCancellationRequested();
            using var ids = torch.randint(0, vocab, [batch, length], generator: generator).to(options.ResolvedDevice);
            double modelSeconds = Time(iterations, () =>
            {
                using var scope = torch.NewDisposeScope();
                var output = model.Forward(new DecoderInput(ids));
                Sync(model.Logits(output.Hidden), options);
            });
            double plainSeconds = Time(iterations, () =>
            {
                using var scope = torch.NewDisposeScope();
                Sync(PlainForward(model, config, ids), options);
            });
            double tokens = (double)batch * length;
            rows.Add(new { batch, model_tokens_per_s = tokens / modelSeconds, libtorch_tokens_per_s = tokens / plainSeconds, model_ms = modelSeconds * 1000, libtorch_ms = plainSeconds * 1000 });
            table.AddRow(batch.ToString(CultureInfo.InvariantCulture), F(tokens / modelSeconds), F(tokens / plainSeconds),
                (plainSeconds / modelSeconds).ToString("F3", CultureInfo.InvariantCulture), F(modelSeconds * 1000));
        }
        long peakRss = PeakRssBytes();
        if (parse.GetValue(_json))
        {
            _console.Output.WriteLine(JsonSerializer.Serialize(new
            {
                layers, hidden, heads, vocab, length, dtype = ModelLoadOptions.DTypeName(options.DType), device = options.ResolvedDevice.ToString(),
                threads = torch.get_num_threads(), parameters = model.Description.ParameterCount, peak_rss_bytes = peakRss, results = rows,
            }));
            return ExitCodes.Success;
        }
        _console.Results.Write(table);
        _console.Results.MarkupLine($"parameters {model.Description.ParameterCount:N0}, peak RSS {peakRss / (1 << 20):N0} MiB");
        return ExitCodes.Success;
    }

    static string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>Median of <paramref name="iterations"/> timed runs after one warm-up.</summary>
    static double Time(int iterations, Action run)
    {
        run();
        var seconds = new List<double>();
        for (int i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            run();
            seconds.Add(watch.Elapsed.TotalSeconds);
        }
        seconds.Sort();
        return seconds[seconds.Count / 2];
    }

    static void Sync(Tensor result, ModelLoadOptions options)
    {
        if (options.ResolvedDevice.type == DeviceType.CUDA)
            torch.cuda.synchronize();
        _ = result.shape;
    }

    /// <summary>GPT-2 initialization scale (N(0, 0.02), norms at 1/0) so activations have realistic magnitudes.</summary>
    static void RandomInit(DecoderModel model)
    {
        using var noGrad = torch.no_grad();
        var generator = new Generator(0);
        foreach (var (name, p) in model.NamedParameters)
        {
            if (name.Contains(".ln_") && name.EndsWith(".weight", StringComparison.Ordinal))
                p.fill_(1);
            else if (name.Contains(".ln_") || name.EndsWith(".bias", StringComparison.Ordinal))
                p.zero_();
            else
                p.normal_(0, 0.02, generator);
        }
    }

    /// <summary>The same GPT-2 forward as bare libtorch calls on the model's own parameters: the baseline.</summary>
    static Tensor PlainForward(DecoderModel model, ModelConfig c, Tensor ids)
    {
        var w = model.NamedParameters;
        long batch = ids.shape[0], length = ids.shape[1], heads = c.NumHeads, headDim = c.HeadDim;
        var positions = torch.arange(length, device: ids.device);
        var x = w["transformer.wte.weight"].index_select(0, ids.view(-1)).view(batch, length, -1) + w["transformer.wpe.weight"].index_select(0, positions);
        for (int l = 0; l < c.NumLayers; l++)
        {
            string p = $"transformer.h.{l}.";
            var a = nn.functional.layer_norm(x, [c.HiddenSize], w[p + "ln_1.weight"], w[p + "ln_1.bias"], c.NormEpsilon);
            var qkv = torch.addmm(w[p + "attn.c_attn.bias"], a.view(-1, c.HiddenSize), w[p + "attn.c_attn.weight"], 1, 1).view(batch, length, 3, heads, headDim).permute(2, 0, 3, 1, 4);
            var attended = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], is_casual: true);
            attended = attended.transpose(1, 2).reshape(batch * length, c.HiddenSize);
            x = x + torch.addmm(w[p + "attn.c_proj.bias"], attended, w[p + "attn.c_proj.weight"], 1, 1).view(batch, length, -1);
            var m = nn.functional.layer_norm(x, [c.HiddenSize], w[p + "ln_2.weight"], w[p + "ln_2.bias"], c.NormEpsilon).view(-1, c.HiddenSize);
            m = nn.functional.gelu(torch.addmm(w[p + "mlp.c_fc.bias"], m, w[p + "mlp.c_fc.weight"], 1, 1), TorchSharp.Modules.GELU.Approximate.tanh);
            x = x + torch.addmm(w[p + "mlp.c_proj.bias"], m, w[p + "mlp.c_proj.weight"], 1, 1).view(batch, length, -1);
        }
        x = nn.functional.layer_norm(x, [c.HiddenSize], w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], c.NormEpsilon);
        return x.matmul(w["transformer.wte.weight"].t()).to(ScalarType.Float32);
    }

    /// <summary>VmHWM from /proc/self/status (Linux); 0 elsewhere.</summary>
    static long PeakRssBytes()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
            return 0;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
