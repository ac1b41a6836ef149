using TorchSharp;
using static TorchSharp.torch;
using static IclPrune.Tests.Models.ReferenceMath;

namespace IclPrune.Tests.Models;

/// <summary>How the reference applies rotary: the right way, or a deliberately wrong variant (to show the tests can
/// tell them apart).</summary>
internal enum RotaryVariant { AsConfigured, SwapPairing, FullHead }

/// <summary>Float64 references of one unpadded sequence for the rotary families, from the formulas.</summary>
internal static class RotaryReferences
{
    static Tensor Linear(Tensor x, Dictionary<string, Tensor> w, string name) =>
        w.TryGetValue(name + ".bias", out var b) ? x.matmul(w[name + ".weight"].t()) + b : x.matmul(w[name + ".weight"].t());

    static Tensor Heads(Tensor x, long heads) => x.view(x.shape[0], heads, -1).transpose(0, 1); // [T,H*Dh] -> [H,T,Dh]

    static Tensor Merge(Tensor x) => x.transpose(0, 1).reshape(x.shape[1], -1);                  // [H,T,Dh] -> [T,H*Dh]

    static Tensor Rotate(Tensor x, int rotaryDim, bool interleaved, double[] inverse, RotaryVariant variant, int headDim) => variant switch
    {
        RotaryVariant.SwapPairing => Rotary(x, rotaryDim, !interleaved, inverse),
        RotaryVariant.FullHead => Rotary(x, headDim, interleaved, ReferenceMath.InverseFrequencies(headDim, 10000)),
        _ => Rotary(x, rotaryDim, interleaved, inverse),
    };

    /// <summary>Llama 3.1 frequency scaling, from the formula in Meta's llama-models (apply_scaling).</summary>
    static double[] Llama3(double[] inverse, double factor, double low, double high, double original) =>
        inverse.Select(f =>
        {
            double wavelength = 2 * Math.PI / f;
            if (wavelength < original / high) return f;
            if (wavelength > original / low) return f / factor;
            double smooth = (original / wavelength - low) / (high - low);
            return (1 - smooth) * f / factor + smooth * f;
        }).ToArray();

    public static Tensor Llama(TinyCheckpoint c, long[] ids, bool ignoreWindow = false)
    {
        int? window = c.Config.TryGetValue("sliding_window", out var sw) && !ignoreWindow ? Convert.ToInt32(sw) : null;
        var w = c.Weights;
        int hidden = c.Int("hidden_size"), heads = c.Int("num_attention_heads"), kvHeads = c.Int("num_key_value_heads");
        int headDim = c.Config.ContainsKey("head_dim") ? c.Int("head_dim") : hidden / heads;
        double eps = 1e-6, theta = Convert.ToDouble(c.Config["rope_theta"]);
        var inverse = InverseFrequencies(headDim, theta);
        if (c.Config.TryGetValue("rope_scaling", out var scaling))
            inverse = ((Dictionary<string, object>)scaling!).ContainsKey("rope_type")
                ? Llama3(inverse, 4, 1, 4, 16)
                : inverse.Select(f => f / 2).ToArray(); // linear, factor 2: positions / 2
        var x = w["model.embed_tokens.weight"][torch.tensor(ids)];
        for (int l = 0; l < c.Int("num_hidden_layers"); l++)
        {
            string p = $"model.layers.{l}.";
            var a = RmsNorm(x, w[p + "input_layernorm.weight"], eps);
            var q = Rotary(Heads(Linear(a, w, p + "self_attn.q_proj"), heads), headDim, false, inverse);
            var k = Rotary(Heads(Linear(a, w, p + "self_attn.k_proj"), kvHeads), headDim, false, inverse);
            var v = Heads(Linear(a, w, p + "self_attn.v_proj"), kvHeads);
            x = x + Linear(Merge(Attention(q, k, v, window)), w, p + "self_attn.o_proj");
            var m = RmsNorm(x, w[p + "post_attention_layernorm.weight"], eps);
            x = x + Linear(Silu(Linear(m, w, p + "mlp.gate_proj")) * Linear(m, w, p + "mlp.up_proj"), w, p + "mlp.down_proj");
        }
        x = RmsNorm(x, w["model.norm.weight"], eps);
        var head = w.TryGetValue("lm_head.weight", out var h) ? h : w["model.embed_tokens.weight"];
        return x.matmul(head.t());
    }

    public static Tensor GptJ(TinyCheckpoint c, long[] ids, RotaryVariant variant = RotaryVariant.AsConfigured)
    {
        var w = c.Weights;
        int hidden = c.Int("n_embd"), heads = c.Int("n_head"), headDim = hidden / heads, rotaryDim = c.Int("rotary_dim");
        var inverse = InverseFrequencies(rotaryDim, 10000);
        var x = w["transformer.wte.weight"][torch.tensor(ids)];
        for (int l = 0; l < c.Int("n_layer"); l++)
        {
            string p = $"transformer.h.{l}.";
            var a = LayerNorm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"], 1e-5);
            var q = Rotate(Heads(Linear(a, w, p + "attn.q_proj"), heads), rotaryDim, true, inverse, variant, headDim);
            var k = Rotate(Heads(Linear(a, w, p + "attn.k_proj"), heads), rotaryDim, true, inverse, variant, headDim);
            var v = Heads(Linear(a, w, p + "attn.v_proj"), heads);
            var attended = Linear(Merge(Attention(q, k, v)), w, p + "attn.out_proj");
            var mlp = Linear(GeluTanh(Linear(a, w, p + "mlp.fc_in")), w, p + "mlp.fc_out");
            x = x + attended + mlp; // parallel: both read ln_1(x)
        }
        x = LayerNorm(x, w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], 1e-5);
        return Linear(x, w, "lm_head");
    }

    public static Tensor GptNeoX(TinyCheckpoint c, long[] ids, RotaryVariant variant = RotaryVariant.AsConfigured)
    {
        var w = c.Weights;
        int hidden = c.Int("hidden_size"), heads = c.Int("num_attention_heads"), headDim = hidden / heads;
        int rotaryDim = (int)(headDim * Convert.ToDouble(c.Config["rotary_pct"]));
        bool parallel = (bool)c.Config["use_parallel_residual"]!;
        var inverse = InverseFrequencies(rotaryDim, 10000);
        long t = ids.Length;
        var x = w["gpt_neox.embed_in.weight"][torch.tensor(ids)];
        for (int l = 0; l < c.Int("num_hidden_layers"); l++)
        {
            string p = $"gpt_neox.layers.{l}.";
            var a = LayerNorm(x, w[p + "input_layernorm.weight"], w[p + "input_layernorm.bias"], 1e-5);
            // Fused projection, per head [q | k | v]: column block h*3*Dh + {0, Dh, 2Dh}.
            var qkv = Linear(a, w, p + "attention.query_key_value").view(t, heads, 3, headDim);
            var q = Rotate(qkv.select(2, 0).transpose(0, 1), rotaryDim, false, inverse, variant, headDim);
            var k = Rotate(qkv.select(2, 1).transpose(0, 1), rotaryDim, false, inverse, variant, headDim);
            var v = qkv.select(2, 2).transpose(0, 1);
            var attended = Linear(Merge(Attention(q, k, v)), w, p + "attention.dense");
            Tensor Mlp(Tensor y) => Linear(GeluExact(Linear(y, w, p + "mlp.dense_h_to_4h")), w, p + "mlp.dense_4h_to_h");
            var post = w[p + "post_attention_layernorm.weight"];
            var postBias = w[p + "post_attention_layernorm.bias"];
            x = parallel
                ? x + attended + Mlp(LayerNorm(x, post, postBias, 1e-5))
                : (x + attended) + Mlp(LayerNorm(x + attended, post, postBias, 1e-5));
        }
        x = LayerNorm(x, w["gpt_neox.final_layer_norm.weight"], w["gpt_neox.final_layer_norm.bias"], 1e-5);
        return x.matmul(w["embed_out.weight"].t());
    }
}
