using System.Text;
using System.Text.Json;
using IclPrune.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tests.Evaluation.Engine;

/// <summary>
/// A random GPT-2 checkpoint folder in Hugging Face layout (config.json, model.safetensors, vocab.json, merges.txt)
/// with a real byte-level BPE vocabulary: the 256 byte symbols plus merges that make the given words single tokens
/// with a leading space (" pos", " Yes", ...), so the evaluator runs through the real loader and tokenizer.
/// </summary>
internal sealed class TinyGpt2Checkpoint : IDisposable
{
    TinyGpt2Checkpoint(string folder) => Folder = folder;

    public string Folder { get; }

    public static TinyGpt2Checkpoint Create(long seed, IEnumerable<string> singleTokenWords, int positions = 512,
        int hidden = 32, int heads = 4, int layers = 2, int inner = 48, int? vocabSize = null)
    {
        var (vocab, merges) = Vocabulary(singleTokenWords);
        // A few (or, for a GPT-2-sized head, many) ids no text maps to, like real vocabularies.
        int size = Math.Max(vocabSize ?? 0, vocab.Count + 3);
        string folder = Directory.CreateTempSubdirectory("tiny-gpt2-eval-").FullName;
        var config = new Dictionary<string, object?>
        {
            ["model_type"] = "gpt2", ["vocab_size"] = size, ["n_embd"] = hidden, ["n_head"] = heads, ["n_layer"] = layers,
            ["n_inner"] = inner, ["n_positions"] = positions, ["activation_function"] = "gelu_new", ["layer_norm_epsilon"] = 1e-5,
            ["bos_token_id"] = 0, ["eos_token_id"] = 0,
        };
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(config));
        File.WriteAllText(Path.Combine(folder, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Join("\n", merges) + "\n");

        var g = new Generator((ulong)seed);
        Tensor Random(params long[] shape) => 0.4f * torch.randn(shape, ScalarType.Float32, generator: g);
        Tensor Norm(long n) => 1 + 0.1f * torch.randn([n], ScalarType.Float32, generator: g);
        var tensors = new Dictionary<string, Tensor>
        {
            ["wte.weight"] = Random(size, hidden), ["wpe.weight"] = 0.1f * Random(positions, hidden),
            ["ln_f.weight"] = Norm(hidden), ["ln_f.bias"] = Random(hidden),
        };
        for (int l = 0; l < layers; l++)
        {
            string h = $"h.{l}.";
            tensors[h + "ln_1.weight"] = Norm(hidden); tensors[h + "ln_1.bias"] = Random(hidden);
            tensors[h + "attn.c_attn.weight"] = Random(hidden, 3 * hidden); tensors[h + "attn.c_attn.bias"] = Random(3 * hidden);
            tensors[h + "attn.c_proj.weight"] = Random(hidden, hidden); tensors[h + "attn.c_proj.bias"] = Random(hidden);
            tensors[h + "ln_2.weight"] = Norm(hidden); tensors[h + "ln_2.bias"] = Random(hidden);
            tensors[h + "mlp.c_fc.weight"] = Random(hidden, inner); tensors[h + "mlp.c_fc.bias"] = Random(inner);
            tensors[h + "mlp.c_proj.weight"] = Random(inner, hidden); tensors[h + "mlp.c_proj.bias"] = Random(hidden);
        }
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        foreach (var t in tensors.Values) t.Dispose();
        return new TinyGpt2Checkpoint(folder);
    }

    /// <summary>GPT-2's byte-to-symbol table (openai/gpt-2 encoder.py bytes_to_unicode) and left-to-right merges per word.</summary>
    static (Dictionary<string, int> Vocab, List<string> Merges) Vocabulary(IEnumerable<string> words)
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        var symbol = new string[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
            symbol[b] = printable.Contains(b) ? ((char)b).ToString() : ((char)(256 + next++)).ToString();
        var vocab = new Dictionary<string, int>();
        for (int b = 0; b < 256; b++) vocab[symbol[b]] = b;
        var merges = new List<string>();
        foreach (string word in words)
        {
            var pieces = Encoding.UTF8.GetBytes(" " + word).Select(b => symbol[b]).ToList();
            string current = pieces[0];
            foreach (string piece in pieces.Skip(1))
            {
                string merged = current + piece;
                if (!vocab.ContainsKey(merged))
                {
                    merges.Add($"{current} {piece}");
                    vocab[merged] = vocab.Count;
                }
                current = merged;
            }
        }
        return (vocab, merges);
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
