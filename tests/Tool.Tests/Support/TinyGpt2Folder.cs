using System.Text.Json;
using IclPrune.Checkpoints;
using IclPrune.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tool.Tests.Support;

/// <summary>
/// A random GPT-2 checkpoint folder in openai-community layout (no "transformer." prefix), d 24, 3 heads, 3 layers,
/// inner 37, vocabulary 61, written with the real safetensors writer: enough for the pruning commands end to end.
/// </summary>
public sealed class TinyGpt2Folder : IDisposable
{
    public const int Vocab = 61, Hidden = 24, Layers = 3, Inner = 37, Positions = 64;

    public string Folder { get; } = Directory.CreateTempSubdirectory("tiny-gpt2-").FullName;

    public TinyGpt2Folder(ulong seed = 5)
    {
        TorchRuntime.EnsureInitialized();
        using var g = new Generator(seed);
        var shapes = new Dictionary<string, long[]>
        {
            ["wte.weight"] = [Vocab, Hidden], ["wpe.weight"] = [Positions, Hidden], ["ln_f.weight"] = [Hidden], ["ln_f.bias"] = [Hidden],
        };
        for (int l = 0; l < Layers; l++)
        {
            string h = $"h.{l}.";
            shapes[h + "ln_1.weight"] = [Hidden]; shapes[h + "ln_1.bias"] = [Hidden];
            shapes[h + "attn.c_attn.weight"] = [Hidden, 3 * Hidden]; shapes[h + "attn.c_attn.bias"] = [3 * Hidden];
            shapes[h + "attn.c_proj.weight"] = [Hidden, Hidden]; shapes[h + "attn.c_proj.bias"] = [Hidden];
            shapes[h + "ln_2.weight"] = [Hidden]; shapes[h + "ln_2.bias"] = [Hidden];
            shapes[h + "mlp.c_fc.weight"] = [Hidden, Inner]; shapes[h + "mlp.c_fc.bias"] = [Inner];
            shapes[h + "mlp.c_proj.weight"] = [Inner, Hidden]; shapes[h + "mlp.c_proj.bias"] = [Hidden];
        }
        var tensors = shapes.Select(kv => new KeyValuePair<string, Tensor>(kv.Key,
            kv.Key.Contains("ln_") && kv.Key.EndsWith("weight")
                ? 1 + 0.1 * randn(kv.Value, generator: g)
                : 0.3 * randn(kv.Value, generator: g))).ToList();
        SafetensorsWriter.Write(Path.Combine(Folder, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        foreach (var t in tensors) t.Value.Dispose();
        var config = new Dictionary<string, object?>
        {
            ["model_type"] = "gpt2", ["vocab_size"] = Vocab, ["n_embd"] = Hidden, ["n_head"] = 3, ["n_layer"] = Layers,
            ["n_inner"] = Inner, ["n_positions"] = Positions, ["activation_function"] = "gelu_new",
            ["layer_norm_epsilon"] = 1e-5, ["bos_token_id"] = 0, ["eos_token_id"] = 0,
        };
        File.WriteAllText(Path.Combine(Folder, "config.json"), JsonSerializer.Serialize(config));
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
