using TorchSharp;
using static TorchSharp.torch;
using static IclPrune.Tests.Models.ReferenceMath;

namespace IclPrune.Tests.Models;

/// <summary>GPT-2 logits of one unpadded sequence, in float64, from the weights by HF key (GPT-2 paper + modeling_gpt2).</summary>
internal static class Gpt2Reference
{
    public static Tensor Logits(TinyCheckpoint c, long[] ids, string prefix = "")
    {
        var w = c.Weights;
        int d = c.Int("n_embd"), heads = c.Int("n_head"), dh = d / heads;
        long t = ids.Length;
        var x = w[prefix + "wte.weight"][torch.tensor(ids)] + w[prefix + "wpe.weight"][torch.arange(t)]; // [T,D]
        for (int l = 0; l < c.Int("n_layer"); l++)
        {
            string h = $"{prefix}h.{l}.";
            var a = LayerNorm(x, w[h + "ln_1.weight"], w[h + "ln_1.bias"], 1e-5);
            var qkv = a.matmul(w[h + "attn.c_attn.weight"]) + w[h + "attn.c_attn.bias"]; // Conv1D: [in, out]
            var q = qkv.narrow(1, 0, d).view(t, heads, dh).transpose(0, 1);
            var k = qkv.narrow(1, d, d).view(t, heads, dh).transpose(0, 1);
            var v = qkv.narrow(1, 2 * d, d).view(t, heads, dh).transpose(0, 1);
            var attended = Attention(q, k, v).transpose(0, 1).reshape(t, d);
            x = x + attended.matmul(w[h + "attn.c_proj.weight"]) + w[h + "attn.c_proj.bias"];
            var m = LayerNorm(x, w[h + "ln_2.weight"], w[h + "ln_2.bias"], 1e-5);
            m = GeluTanh(m.matmul(w[h + "mlp.c_fc.weight"]) + w[h + "mlp.c_fc.bias"]);
            x = x + m.matmul(w[h + "mlp.c_proj.weight"]) + w[h + "mlp.c_proj.bias"];
        }
        x = LayerNorm(x, w[prefix + "ln_f.weight"], w[prefix + "ln_f.bias"], 1e-5);
        return x.matmul(w[prefix + "wte.weight"].t()); // tied head, [T,V]
    }
}
