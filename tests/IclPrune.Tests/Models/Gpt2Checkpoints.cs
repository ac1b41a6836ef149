using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tests.Models;

/// <summary>Tiny GPT-2 checkpoints in openai-community/gpt2 layout (no "transformer." prefix, attn.bias buffers).</summary>
internal static class Gpt2Checkpoints
{
    public const int Vocab = 61, Hidden = 24, Heads = 3, Layers = 2, Inner = 37, Positions = 40;

    public static TinyCheckpoint Create(long seed = 7, bool withPrefix = false, long? maxShardBytes = null)
    {
        var config = new Dictionary<string, object?>
        {
            ["model_type"] = "gpt2", ["vocab_size"] = Vocab, ["n_embd"] = Hidden, ["n_head"] = Heads, ["n_layer"] = Layers,
            ["n_inner"] = Inner, ["n_positions"] = Positions, ["activation_function"] = "gelu_new",
            ["layer_norm_epsilon"] = 1e-5, ["bos_token_id"] = 0, ["eos_token_id"] = 0,
        };
        string p = withPrefix ? "transformer." : "";
        var shapes = new Dictionary<string, long[]>
        {
            [$"{p}wte.weight"] = [Vocab, Hidden], [$"{p}wpe.weight"] = [Positions, Hidden],
            [$"{p}ln_f.weight"] = [Hidden], [$"{p}ln_f.bias"] = [Hidden],
        };
        var extra = new Dictionary<string, Tensor>();
        for (int l = 0; l < Layers; l++)
        {
            string h = $"{p}h.{l}.";
            shapes[h + "ln_1.weight"] = [Hidden]; shapes[h + "ln_1.bias"] = [Hidden];
            shapes[h + "attn.c_attn.weight"] = [Hidden, 3 * Hidden]; shapes[h + "attn.c_attn.bias"] = [3 * Hidden];
            shapes[h + "attn.c_proj.weight"] = [Hidden, Hidden]; shapes[h + "attn.c_proj.bias"] = [Hidden];
            shapes[h + "ln_2.weight"] = [Hidden]; shapes[h + "ln_2.bias"] = [Hidden];
            shapes[h + "mlp.c_fc.weight"] = [Hidden, Inner]; shapes[h + "mlp.c_fc.bias"] = [Inner];
            shapes[h + "mlp.c_proj.weight"] = [Inner, Hidden]; shapes[h + "mlp.c_proj.bias"] = [Hidden];
            // Old checkpoints carry the causal-mask buffers; the loader must ignore them.
            extra[h + "attn.bias"] = torch.ones(1, 1, Positions, Positions).tril();
            extra[h + "attn.masked_bias"] = torch.tensor(-1e4f);
        }
        return TinyCheckpoint.Write(config, shapes, seed, extra, maxShardBytes);
    }
}
