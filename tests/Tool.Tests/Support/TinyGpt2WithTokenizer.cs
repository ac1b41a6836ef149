using System.Text.Json;
using IclPrune.Checkpoints;
using IclPrune.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tool.Tests.Support;

/// <summary>
/// A random GPT-2 checkpoint folder in openai-community layout (no "transformer." prefix), d 24, 3 heads, 3 layers,
/// inner 37, written with the real safetensors writer, with a byte-level BPE tokenizer (vocab.json + merges.txt):
/// the 256 byte tokens plus merges that make " pos" and " neg" single tokens. Enough for the pruning commands end to end.
/// </summary>
public sealed class TinyGpt2WithTokenizer : IDisposable
{
    public const int Vocab = 262, Hidden = 24, Layers = 3, Inner = 37, Positions = 256;

    public string Folder { get; } = Directory.CreateTempSubdirectory("tiny-gpt2-").FullName;

    public TinyGpt2WithTokenizer(ulong seed = 5)
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
        WriteTokenizer();
    }

    static readonly string[] Merges = ["Ġ p", "Ġp o", "Ġpo s", "Ġ n", "Ġn e", "Ġne g"];

    void WriteTokenizer()
    {
        // GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to 256 + n, in byte order.
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        var vocab = new Dictionary<string, int>();
        int extra = 0;
        for (int b = 0; b < 256; b++)
            vocab[((char)(printable.Contains(b) ? b : 256 + extra++)).ToString()] = b;
        foreach (string merge in Merges) vocab[merge.Replace(" ", "")] = vocab.Count;
        File.WriteAllText(Path.Combine(Folder, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(Path.Combine(Folder, "merges.txt"), "#version: 0.2\n" + string.Join("\n", Merges) + "\n");
    }

    /// <summary>A sentiment task file and train/test data in <paramref name="folder"/>; returns the task path.</summary>
    public static string WriteTask(string folder, int trainItems = 40, int testItems = 30)
    {
        string[] words = ["fine", "dull", "bright", "slow", "odd", "warm", "cold", "loud", "calm", "grim", "kind"];
        string Word(int i) => words[(i * 7 + 3) % words.Length];
        IEnumerable<string> Rows(string split, int n) => Enumerable.Range(0, n).Select(i =>
            $$"""{"text": "the {{split}} {{i}} was {{Word(i)}} and {{Word(i * 3 + 1)}}", "label": {{(i * 5 + 1) % 2}}}""");
        File.WriteAllLines(Path.Combine(folder, "train.jsonl"), Rows("train", trainItems));
        File.WriteAllLines(Path.Combine(folder, "test.jsonl"), Rows("test", testItems));
        string task = Path.Combine(folder, "task.yaml");
        File.WriteAllText(task, """
            id: tiny-sentiment
            type: classification
            columns: {sentence: text}
            template:
              demonstration: "text: {sentence}\n sentiment : {label} \n"
              query: "text: {sentence}\n sentiment :"
            labels:
              - {word: pos, values: [1]}
              - {word: neg, values: [0]}
            demonstrations: {policy: balanced, shots: 4}
            splits:
              seed: 5
              validation: {from: train, per_class: 10}
              demonstrations: {from: train, rest: true}
              test: {from: test}
            """);
        return task;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
