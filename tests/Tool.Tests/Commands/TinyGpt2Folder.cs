using System.Text.Json;
using IclPrune.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>A random 2-layer GPT-2 checkpoint folder with a byte-level vocab.json/merges.txt (256 byte symbols + a few
/// merges), written through the real safetensors writer, for command tests.</summary>
internal sealed class TinyGpt2Folder : IDisposable
{
    public const int Hidden = 16, Heads = 2, Layers = 2, Inner = 37, Positions = 32;
    static readonly string[] Merges = ["Ġ t", "h e", "Ġt he"];

    public TinyGpt2Folder()
    {
        Folder = Directory.CreateTempSubdirectory("tool-gpt2-").FullName;
        var vocab = new Dictionary<string, int>();
        foreach (var c in ByteSymbols())
            vocab[c.ToString()] = vocab.Count;
        foreach (var merge in Merges)
            vocab[merge.Replace(" ", "")] = vocab.Count;
        vocab["<|endoftext|>"] = vocab.Count;
        Vocab = vocab.Count;
        File.WriteAllText(Path.Combine(Folder, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllLines(Path.Combine(Folder, "merges.txt"), ["#version: 0.2", .. Merges]);
        File.WriteAllText(Path.Combine(Folder, "config.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model_type"] = "gpt2", ["vocab_size"] = Vocab, ["n_embd"] = Hidden, ["n_head"] = Heads, ["n_layer"] = Layers,
            ["n_inner"] = Inner, ["n_positions"] = Positions,
        }));
        var g = new Generator(42);
        var weights = new Dictionary<string, Tensor>
        {
            ["wte.weight"] = torch.randn([Vocab, Hidden], generator: g), ["wpe.weight"] = torch.randn([Positions, Hidden], generator: g),
            ["ln_f.weight"] = torch.ones(Hidden), ["ln_f.bias"] = torch.zeros(Hidden),
        };
        for (int l = 0; l < Layers; l++)
        {
            string h = $"h.{l}.";
            weights[h + "ln_1.weight"] = torch.ones(Hidden); weights[h + "ln_1.bias"] = torch.zeros(Hidden);
            weights[h + "ln_2.weight"] = torch.ones(Hidden); weights[h + "ln_2.bias"] = torch.zeros(Hidden);
            weights[h + "attn.c_attn.weight"] = 0.3f * torch.randn([Hidden, 3 * Hidden], generator: g);
            weights[h + "attn.c_attn.bias"] = torch.zeros(3 * Hidden);
            weights[h + "attn.c_proj.weight"] = 0.3f * torch.randn([Hidden, Hidden], generator: g);
            weights[h + "attn.c_proj.bias"] = torch.zeros(Hidden);
            weights[h + "mlp.c_fc.weight"] = 0.3f * torch.randn([Hidden, Inner], generator: g);
            weights[h + "mlp.c_fc.bias"] = torch.zeros(Inner);
            weights[h + "mlp.c_proj.weight"] = 0.3f * torch.randn([Inner, Hidden], generator: g);
            weights[h + "mlp.c_proj.bias"] = torch.zeros(Hidden);
        }
        SafetensorsWriter.Write(Path.Combine(Folder, "model.safetensors"), weights);
        foreach (var w in weights.Values)
            w.Dispose();
    }

    public string Folder { get; }
    public int Vocab { get; }

    /// <summary>GPT-2's bytes_to_unicode order: byte b's symbol at index b.</summary>
    static IEnumerable<char> ByteSymbols()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        int next = 0;
        for (int b = 0; b < 256; b++)
            yield return printable.Contains(b) ? (char)b : (char)(256 + next++);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
