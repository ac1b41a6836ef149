using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tests.Models;

/// <summary>
/// Float64 building blocks of the reference implementations, written from the formulas (not from the library's
/// modules): layer norm, RMS norm, GELU, naive masked softmax attention, and rotary by explicit cos/sin per pair.
/// </summary>
internal static class ReferenceMath
{
    public static Tensor LayerNorm(Tensor x, Tensor w, Tensor b, double eps)
    {
        var mean = x.mean([-1], keepdim: true);
        var variance = (x - mean).pow(2).mean([-1], keepdim: true);
        return (x - mean) / (variance + eps).sqrt() * w + b;
    }

    public static Tensor RmsNorm(Tensor x, Tensor w, double eps) =>
        x / (x.pow(2).mean([-1], keepdim: true) + eps).sqrt() * w;

    public static Tensor GeluTanh(Tensor x) =>
        0.5 * x * (1 + (Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x.pow(3))).tanh());

    public static Tensor GeluExact(Tensor x) => 0.5 * x * (1 + (x / Math.Sqrt(2)).erf());

    public static Tensor Silu(Tensor x) => x / (1 + (-x).exp());

    /// <summary>q [H,T,Dh], k/v [Hkv,T,Dh] of ONE sequence; causal softmax(q k^T / sqrt(Dh)) v with kv head h / groups,
    /// optionally within a sliding window.</summary>
    public static Tensor Attention(Tensor q, Tensor k, Tensor v, int? window = null)
    {
        long heads = q.shape[0], length = q.shape[1], headDim = q.shape[2], groups = heads / k.shape[0];
        var outputs = new List<Tensor>();
        for (long h = 0; h < heads; h++)
        {
            var scores = q[h].matmul(k[h / groups].t()) / Math.Sqrt(headDim); // [T,T]
            var mask = torch.ones(length, length, ScalarType.Bool).triu(1);
            if (window is { } w) // key j visible from query i only when i - j < w
                mask = mask.logical_or(torch.ones(length, length, ScalarType.Bool).tril(-w));
            scores = scores.masked_fill(mask, double.NegativeInfinity);
            var weights = (scores - scores.max(1, keepdim: true).values).exp();
            weights = weights / weights.sum(1, keepdim: true);
            outputs.Add(weights.matmul(v[h / groups]));
        }
        return torch.stack(outputs); // [H,T,Dh]
    }

    /// <summary>
    /// Rotary on x [H,T,Dh] at positions 0..T-1 over the first <paramref name="rotaryDim"/> channels. Pair i is
    /// (2i, 2i+1) when interleaved (GPT-J), (i, i + rotaryDim/2) otherwise (NeoX/LLaMA); angle = pos * inverse[i].
    /// </summary>
    public static Tensor Rotary(Tensor x, int rotaryDim, bool interleaved, double[] inverseFrequencies)
    {
        var result = x.clone();
        long length = x.shape[1];
        for (int i = 0; i < rotaryDim / 2; i++)
        {
            int a = interleaved ? 2 * i : i;
            int b = interleaved ? 2 * i + 1 : i + rotaryDim / 2;
            var angle = torch.arange(length, ScalarType.Float64) * inverseFrequencies[i]; // [T]
            var cos = angle.cos();
            var sin = angle.sin();
            var xa = x.select(2, a);
            var xb = x.select(2, b);
            result.select(2, a).copy_(xa * cos - xb * sin);
            result.select(2, b).copy_(xb * cos + xa * sin);
        }
        return result;
    }

    /// <summary>base^(-2i/d), i &lt; d/2, in float64.</summary>
    public static double[] InverseFrequencies(int rotaryDim, double theta) =>
        Enumerable.Range(0, rotaryDim / 2).Select(i => Math.Pow(theta, -2.0 * i / rotaryDim)).ToArray();
}
