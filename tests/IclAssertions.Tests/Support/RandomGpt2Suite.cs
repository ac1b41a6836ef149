using System.Text;
using System.Text.Json;
using IclPrune.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace IclAssertions.Tests.Support;

/// <summary>
/// A real checkpoint and a real task on disk for model-backed tests of the fluent API while the bundled tiny model is
/// not at hand: a random 2-layer GPT-2 (d 32) in Hugging Face layout with a byte-level tokenizer (256 byte tokens,
/// no merges, so every label word is several tokens), and a two-class task file with JSONL data. Accuracy is
/// whatever random weights give; the tests check identity, caching and weight restoration, not skill.
/// </summary>
sealed class RandomGpt2Suite : IDisposable
{
    const int Hidden = 32, Heads = 4, Layers = 2, Inner = 48, Positions = 256, Vocab = 257;

    public RandomGpt2Suite(long seed = 11)
    {
        Root = Directory.CreateTempSubdirectory("icl-assert-model-").FullName;
        ModelFolder = Path.Combine(Root, "gpt2-random");
        DataFolder = Path.Combine(Root, "data");
        TaskFile = Path.Combine(Root, "polarity.yaml");
        Directory.CreateDirectory(ModelFolder);
        Directory.CreateDirectory(DataFolder);
        WriteCheckpoint(seed);
        WriteTask();
    }

    public string Root { get; }
    public string ModelFolder { get; }
    public string DataFolder { get; }
    public string TaskFile { get; }

    void WriteCheckpoint(long seed)
    {
        var config = new Dictionary<string, object?>
        {
            ["model_type"] = "gpt2", ["vocab_size"] = Vocab, ["n_embd"] = Hidden, ["n_head"] = Heads, ["n_layer"] = Layers,
            ["n_inner"] = Inner, ["n_positions"] = Positions, ["activation_function"] = "gelu_new",
            ["layer_norm_epsilon"] = 1e-5, ["bos_token_id"] = 256, ["eos_token_id"] = 256,
        };
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
        var generator = new Generator((ulong)seed);
        var tensors = shapes.Select(kv => new KeyValuePair<string, Tensor>(kv.Key,
            kv.Key.Contains("ln_") && kv.Key.EndsWith("weight", StringComparison.Ordinal)
                ? 1 + 0.1 * torch.randn(kv.Value, generator: generator)
                : 0.3 * torch.randn(kv.Value, generator: generator))).ToList();
        SafetensorsWriter.Write(Path.Combine(ModelFolder, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        foreach (var (_, t) in tensors) t.Dispose();
        File.WriteAllText(Path.Combine(ModelFolder, "config.json"), JsonSerializer.Serialize(config));

        // GPT-2's byte-to-unicode table (printable bytes map to themselves, the rest to U+0100 upward).
        var vocabulary = new Dictionary<string, int>();
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            vocabulary[printable ? ((char)b).ToString() : ((char)(256 + next++)).ToString()] = b;
        }
        vocabulary["<|endoftext|>"] = 256;
        File.WriteAllText(Path.Combine(ModelFolder, "vocab.json"), JsonSerializer.Serialize(vocabulary));
        File.WriteAllText(Path.Combine(ModelFolder, "merges.txt"), "#version: 0.2\n");
    }

    void WriteTask()
    {
        File.WriteAllText(TaskFile, """
            id: polarity-random
            description: Two-class toy task for IclAssertions tests.
            type: classification
            columns:
              sentence: sentence
              label: label
            template:
              demonstration: "text: {sentence}\n sentiment : {label} \n"
              query: "text: {sentence}\n sentiment :"
              answer: " {label}"
              separator: ""
            labels:
              - word: pos
                values: [1]
              - word: neg
                values: [0]
            demonstrations:
              policy: balanced
              shots: 2
            splits:
              seed: 5
              demonstrations: {from: train, per_class: 2}
              validation: {from: train, rest: true}
              test: {from: test}
            """);
        string[] good = ["a fine film", "warm and funny", "a joy", "moving", "clever", "great fun", "lovely", "bright"];
        string[] bad = ["dull", "a mess", "tedious", "flat", "boring film", "weak", "grim", "lifeless"];
        var train = new StringBuilder();
        var test = new StringBuilder();
        for (int i = 0; i < 8; i++)
        {
            var target = i < 4 ? train : test;
            target.AppendLine(JsonSerializer.Serialize(new { sentence = good[i], label = 1 }));
            target.AppendLine(JsonSerializer.Serialize(new { sentence = bad[i], label = 0 }));
        }
        File.WriteAllText(Path.Combine(DataFolder, "train.jsonl"), train.ToString());
        File.WriteAllText(Path.Combine(DataFolder, "test.jsonl"), test.ToString());
    }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
