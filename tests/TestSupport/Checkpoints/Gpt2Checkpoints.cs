using IclPrune.TestSupport.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.TestSupport.Checkpoints;

/// <summary>The sizes of a tiny GPT-2; the defaults are deliberately odd (vocabulary 61, inner 37).</summary>
public sealed record Gpt2Sizes(int Vocab = 61, int Hidden = 24, int Heads = 3, int Layers = 2, int Inner = 37, int Positions = 40);

/// <summary>
/// Tiny GPT-2 checkpoints in openai-community/gpt2 layout (no "transformer." prefix unless asked; the attn.bias and
/// attn.masked_bias buffers of old checkpoints unless turned off), written by <see cref="TinyCheckpoint.Write"/>,
/// optionally with a byte-level BPE tokenizer (vocab.json + merges.txt) for tests that run text through the model.
/// </summary>
public static class Gpt2Checkpoints
{
    public const int Vocab = 61, Hidden = 24, Heads = 3, Layers = 2, Inner = 37, Positions = 40;

    public static TinyCheckpoint Create(long seed = 7, bool withPrefix = false, long? maxShardBytes = null) =>
        Create(new Gpt2Sizes(), seed, withPrefix, maxShardBytes);

    /// <param name="specialTokenId">bos_token_id and eos_token_id in config.json (null: not written).</param>
    public static TinyCheckpoint Create(Gpt2Sizes sizes, long seed, bool withPrefix = false, long? maxShardBytes = null,
        bool maskBuffers = true, int? specialTokenId = 0, bool keepReferenceWeights = true)
    {
        var (vocab, hidden, heads, layers, inner, positions) = sizes;
        var config = new Dictionary<string, object?>
        {
            ["model_type"] = "gpt2", ["vocab_size"] = vocab, ["n_embd"] = hidden, ["n_head"] = heads, ["n_layer"] = layers,
            ["n_inner"] = inner, ["n_positions"] = positions, ["activation_function"] = "gelu_new",
            ["layer_norm_epsilon"] = 1e-5,
        };
        if (specialTokenId is { } special)
            (config["bos_token_id"], config["eos_token_id"]) = (special, special);
        string p = withPrefix ? "transformer." : "";
        var shapes = new Dictionary<string, long[]>
        {
            [$"{p}wte.weight"] = [vocab, hidden], [$"{p}wpe.weight"] = [positions, hidden],
            [$"{p}ln_f.weight"] = [hidden], [$"{p}ln_f.bias"] = [hidden],
        };
        var extra = new Dictionary<string, Tensor>();
        for (int l = 0; l < layers; l++)
        {
            string h = $"{p}h.{l}.";
            shapes[h + "ln_1.weight"] = [hidden]; shapes[h + "ln_1.bias"] = [hidden];
            shapes[h + "attn.c_attn.weight"] = [hidden, 3 * hidden]; shapes[h + "attn.c_attn.bias"] = [3 * hidden];
            shapes[h + "attn.c_proj.weight"] = [hidden, hidden]; shapes[h + "attn.c_proj.bias"] = [hidden];
            shapes[h + "ln_2.weight"] = [hidden]; shapes[h + "ln_2.bias"] = [hidden];
            shapes[h + "mlp.c_fc.weight"] = [hidden, inner]; shapes[h + "mlp.c_fc.bias"] = [inner];
            shapes[h + "mlp.c_proj.weight"] = [inner, hidden]; shapes[h + "mlp.c_proj.bias"] = [hidden];
            if (maskBuffers)
            {
                // Old checkpoints carry the causal-mask buffers; the loader must ignore them.
                extra[h + "attn.bias"] = torch.ones(1, 1, positions, positions).tril();
                extra[h + "attn.masked_bias"] = torch.tensor(-1e4f);
            }
        }
        return TinyCheckpoint.Write(config, shapes, seed, extra, maxShardBytes, keepReferenceWeights);
    }

    /// <summary>The GPT-2 of the command tests: d 24, 3 heads, 3 layers, inner 37, 256 positions.</summary>
    public static readonly Gpt2Sizes CommandSizes = new(Vocab: 0, Hidden: 24, Heads: 3, Layers: 3, Inner: 37, Positions: 256);

    /// <summary>
    /// The command tests' GPT-2 with " pos" and " neg" as single tokens: enough for the pruning commands end to end on
    /// <see cref="Tasks.TinySentimentTask"/>.
    /// </summary>
    public static TinyCheckpoint ForCommands(long seed = 5) =>
        WithTokenizer(CommandSizes, seed, Gpt2ByteVocabulary.Create(["pos", "neg"]));

    /// <summary>
    /// A GPT-2 with <paramref name="vocabulary"/> written beside it (vocab.json + merges.txt), so text goes through the
    /// real tokenizer loader (no float64 reference weights are kept). The vocabulary size is the tokenizer's plus <paramref name="unusedIds"/>, or the
    /// sizes' when larger.
    /// </summary>
    /// <param name="unusedIds">ids past the tokenizer's that no text maps to, as real vocabularies have.</param>
    public static TinyCheckpoint WithTokenizer(Gpt2Sizes sizes, long seed, Gpt2ByteVocabulary vocabulary, int? specialTokenId = 0,
        int unusedIds = 0)
    {
        var checkpoint = Create(sizes with { Vocab = Math.Max(sizes.Vocab, vocabulary.Count + unusedIds) }, seed, maskBuffers: false,
            specialTokenId: specialTokenId, keepReferenceWeights: false);
        vocabulary.WriteTo(checkpoint.Folder);
        return checkpoint;
    }
}
