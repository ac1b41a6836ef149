using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.TestSupport.Checkpoints;

/// <summary>Tiny checkpoints of the rotary families in exact HF layout (odd sizes: intermediate 37, vocabulary 61).</summary>
public static class RotaryCheckpoints
{
    public const int Vocab = 61, Layers = 2, Inner = 37;

    /// <summary>
    /// llama (GQA 4/2, Llama 3 rope_scaling, sharded), mistral (MQA 4/1, sliding_window 5), qwen2 (q/k/v bias, tied head), and
    /// llama_variant: a llama with attention_bias and mlp_bias (biases on all seven matrices), an explicit head_dim 12
    /// (heads x head_dim = 48 != hidden 32), linear rope scaling and a tied head.
    /// </summary>
    public static TinyCheckpoint Llama(string family, long seed = 11)
    {
        bool variant = family == "llama_variant";
        string modelType = variant ? "llama" : family;
        int hidden = 32, heads = 4;
        int kvHeads = family switch { "llama" => 2, "mistral" => 1, _ => 2 };
        int headDim = variant ? 12 : hidden / heads;
        bool tied = modelType == "qwen2" || variant;
        bool bias = modelType == "qwen2" || variant;
        var config = new Dictionary<string, object?>
        {
            ["model_type"] = modelType, ["vocab_size"] = Vocab, ["hidden_size"] = hidden, ["intermediate_size"] = Inner,
            ["num_hidden_layers"] = Layers, ["num_attention_heads"] = heads, ["num_key_value_heads"] = kvHeads,
            ["rms_norm_eps"] = 1e-6, ["rope_theta"] = modelType == "qwen2" ? 1_000_000.0 : 10000.0, ["hidden_act"] = "silu",
            ["max_position_embeddings"] = 64, ["tie_word_embeddings"] = tied, ["bos_token_id"] = 1, ["eos_token_id"] = 2,
        };
        if (variant)
        {
            config["attention_bias"] = true;
            config["mlp_bias"] = true;
            config["head_dim"] = headDim;
            config["rope_scaling"] = new Dictionary<string, object> { ["type"] = "linear", ["factor"] = 2.0 };
        }
        else if (modelType == "llama")
            // original_max_position_embeddings 16 puts the 4 frequencies of head_dim 8 in all three llama3 regimes.
            config["rope_scaling"] = new Dictionary<string, object> { ["rope_type"] = "llama3", ["factor"] = 4.0, ["low_freq_factor"] = 1.0, ["high_freq_factor"] = 4.0, ["original_max_position_embeddings"] = 16 };
        if (modelType == "mistral")
            config["sliding_window"] = 5; // shorter than the test sequences: the window is exercised everywhere
        var shapes = new Dictionary<string, long[]> { ["model.embed_tokens.weight"] = [Vocab, hidden], ["model.norm.weight"] = [hidden] };
        if (!tied)
            shapes["lm_head.weight"] = [Vocab, hidden];
        for (int l = 0; l < Layers; l++)
        {
            string p = $"model.layers.{l}.";
            shapes[p + "input_layernorm.weight"] = [hidden];
            shapes[p + "post_attention_layernorm.weight"] = [hidden];
            shapes[p + "self_attn.q_proj.weight"] = [heads * headDim, hidden];
            shapes[p + "self_attn.k_proj.weight"] = [kvHeads * headDim, hidden];
            shapes[p + "self_attn.v_proj.weight"] = [kvHeads * headDim, hidden];
            shapes[p + "self_attn.o_proj.weight"] = [hidden, heads * headDim];
            if (bias)
            {
                shapes[p + "self_attn.q_proj.bias"] = [heads * headDim];
                shapes[p + "self_attn.k_proj.bias"] = [kvHeads * headDim];
                shapes[p + "self_attn.v_proj.bias"] = [kvHeads * headDim];
            }
            shapes[p + "mlp.gate_proj.weight"] = [Inner, hidden];
            shapes[p + "mlp.up_proj.weight"] = [Inner, hidden];
            shapes[p + "mlp.down_proj.weight"] = [hidden, Inner];
            if (variant)
            {
                shapes[p + "self_attn.o_proj.bias"] = [hidden];
                shapes[p + "mlp.gate_proj.bias"] = [Inner];
                shapes[p + "mlp.up_proj.bias"] = [Inner];
                shapes[p + "mlp.down_proj.bias"] = [hidden];
            }
        }
        var extra = new Dictionary<string, Tensor>
        {
            // Older conversions store rotary inv_freq buffers: must be ignored.
            ["model.layers.0.self_attn.rotary_emb.inv_freq"] = torch.ones(headDim / 2),
        };
        return TinyCheckpoint.Write(config, shapes, seed, extra, maxShardBytes: family == "llama" ? 12_000 : null);
    }

    /// <summary>GPT-J with rotary_dim 4 of head_dim 8 (partial, interleaved).</summary>
    public static TinyCheckpoint GptJ(long seed = 11)
    {
        int hidden = 24, heads = 3;
        var config = new Dictionary<string, object?>
        {
            ["model_type"] = "gptj", ["vocab_size"] = Vocab, ["n_embd"] = hidden, ["n_head"] = heads, ["n_layer"] = Layers,
            ["n_inner"] = Inner, ["n_positions"] = 64, ["rotary_dim"] = 4, ["activation_function"] = "gelu_new",
            ["layer_norm_epsilon"] = 1e-5, ["tie_word_embeddings"] = false,
        };
        var shapes = new Dictionary<string, long[]>
        {
            ["transformer.wte.weight"] = [Vocab, hidden], ["transformer.ln_f.weight"] = [hidden], ["transformer.ln_f.bias"] = [hidden],
            ["lm_head.weight"] = [Vocab, hidden], ["lm_head.bias"] = [Vocab],
        };
        var extra = new Dictionary<string, Tensor>();
        for (int l = 0; l < Layers; l++)
        {
            string p = $"transformer.h.{l}.";
            shapes[p + "ln_1.weight"] = [hidden]; shapes[p + "ln_1.bias"] = [hidden];
            foreach (var m in new[] { "q_proj", "k_proj", "v_proj", "out_proj" })
                shapes[p + $"attn.{m}.weight"] = [hidden, hidden];
            shapes[p + "mlp.fc_in.weight"] = [Inner, hidden]; shapes[p + "mlp.fc_in.bias"] = [Inner];
            shapes[p + "mlp.fc_out.weight"] = [hidden, Inner]; shapes[p + "mlp.fc_out.bias"] = [hidden];
            extra[p + "attn.bias"] = torch.ones(1, 1, 64, 64, ScalarType.Bool).tril();
            extra[p + "attn.masked_bias"] = torch.tensor(-1e9f);
        }
        return TinyCheckpoint.Write(config, shapes, seed, extra);
    }

    /// <summary>Pythia-style GPT-NeoX with rotary_pct 0.5 of head_dim 8 (half-split), parallel or sequential residual.</summary>
    public static TinyCheckpoint GptNeoX(bool parallelResidual, long seed = 11)
    {
        int hidden = 24, heads = 3;
        var config = new Dictionary<string, object?>
        {
            ["model_type"] = "gpt_neox", ["vocab_size"] = Vocab, ["hidden_size"] = hidden, ["num_attention_heads"] = heads,
            ["num_hidden_layers"] = Layers, ["intermediate_size"] = Inner, ["max_position_embeddings"] = 64,
            ["rotary_pct"] = 0.5, ["rotary_emb_base"] = 10000, ["hidden_act"] = "gelu", ["layer_norm_eps"] = 1e-5,
            ["use_parallel_residual"] = parallelResidual, ["tie_word_embeddings"] = false,
        };
        var shapes = new Dictionary<string, long[]>
        {
            ["gpt_neox.embed_in.weight"] = [Vocab, hidden], ["gpt_neox.final_layer_norm.weight"] = [hidden],
            ["gpt_neox.final_layer_norm.bias"] = [hidden], ["embed_out.weight"] = [Vocab, hidden],
        };
        var extra = new Dictionary<string, Tensor>();
        for (int l = 0; l < Layers; l++)
        {
            string p = $"gpt_neox.layers.{l}.";
            foreach (var norm in new[] { "input_layernorm", "post_attention_layernorm" })
            {
                shapes[p + norm + ".weight"] = [hidden];
                shapes[p + norm + ".bias"] = [hidden];
            }
            shapes[p + "attention.query_key_value.weight"] = [3 * hidden, hidden]; shapes[p + "attention.query_key_value.bias"] = [3 * hidden];
            shapes[p + "attention.dense.weight"] = [hidden, hidden]; shapes[p + "attention.dense.bias"] = [hidden];
            shapes[p + "mlp.dense_h_to_4h.weight"] = [Inner, hidden]; shapes[p + "mlp.dense_h_to_4h.bias"] = [Inner];
            shapes[p + "mlp.dense_4h_to_h.weight"] = [hidden, Inner]; shapes[p + "mlp.dense_4h_to_h.bias"] = [hidden];
            extra[p + "attention.rotary_emb.inv_freq"] = torch.ones(2);
            extra[p + "attention.bias"] = torch.ones(1, 1, 64, 64, ScalarType.Bool).tril();
        }
        return TinyCheckpoint.Write(config, shapes, seed, extra);
    }
}
