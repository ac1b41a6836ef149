using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Models.Layers;

/// <summary>
/// Rotary position embedding (RoFormer, arXiv 2104.09864) on the first RotaryDim channels of each head; the rest
/// pass through (GPT-J rotary_dim, NeoX rotary_pct). Pair (a, b) at angle theta becomes
/// (a cos - b sin, b cos + a sin) where the pairs are channels (2i, 2i+1) for GPT-J (rotate_every_two) and
/// (i, i + RotaryDim/2) for NeoX/LLaMA (rotate_half). Angles as HF computes them: float32 inverse frequencies
/// base^(-2i/RotaryDim), times positions; the rotation is done in float32 and cast back to the model dtype.
/// Not a registered module: inverse frequencies are derived from the config, never loaded.
/// </summary>
internal sealed class RotaryEmbedding : IDisposable
{
    readonly RopeConfig _rope;
    readonly Tensor _inverseFrequencies; // [RotaryDim/2] float32

    public RotaryEmbedding(RopeConfig rope, Device device)
    {
        _rope = rope;
        var frequencies = InverseFrequencies(rope);
        _inverseFrequencies = torch.tensor(frequencies.Select(f => (float)f).ToArray(), device: device);
    }

    /// <summary>HF _compute_default_rope_parameters, then _compute_llama3_parameters / linear scaling.</summary>
    internal static double[] InverseFrequencies(RopeConfig rope)
    {
        int half = rope.RotaryDim / 2;
        // float32 as in HF: torch.arange(0, dim, 2).float() / dim, base ** that.
        var inv = Enumerable.Range(0, half)
            .Select(i => (double)(1f / MathF.Pow((float)rope.Theta, (float)(2 * i) / rope.RotaryDim))).ToArray();
        if (rope.Scaling is not { } s)
            return inv;
        if (s.Type == "linear")
            return inv.Select(f => f / s.Factor).ToArray();
        // Llama 3.1: long wavelengths slowed by factor, short ones kept, a smooth blend in between.
        double lowWavelength = s.OriginalMaxPositions / s.LowFreqFactor;
        double highWavelength = s.OriginalMaxPositions / s.HighFreqFactor;
        return inv.Select(f =>
        {
            double wavelength = 2 * Math.PI / f;
            if (wavelength < highWavelength)
                return f;
            if (wavelength > lowWavelength)
                return f / s.Factor;
            double smooth = (s.OriginalMaxPositions / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
            return (1 - smooth) * f / s.Factor + smooth * f;
        }).ToArray();
    }

    /// <summary>cos and sin [B,1,T,RotaryDim/2] float32 for positions [B,T].</summary>
    public (Tensor Cos, Tensor Sin) Angles(Tensor positions)
    {
        var angles = positions.to(ScalarType.Float32).unsqueeze(-1) * _inverseFrequencies; // [B,T,R/2]
        angles = angles.unsqueeze(1);                                                        // [B,1,T,R/2]
        return (angles.cos(), angles.sin());
    }

    /// <summary>Rotates x [B,H,T,Dh] with angles from <see cref="Angles"/>.</summary>
    public Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        long rotary = _rope.RotaryDim;
        long headDim = x.shape[3];
        var rotated = x.narrow(3, 0, rotary).to(ScalarType.Float32);
        Tensor a, b;
        if (_rope.Interleaved)
        {
            var pairs = rotated.reshape(x.shape[0], x.shape[1], x.shape[2], rotary / 2, 2); // [B,H,T,R/2,2]
            a = pairs.select(4, 0);
            b = pairs.select(4, 1);
        }
        else
        {
            a = rotated.narrow(3, 0, rotary / 2);
            b = rotated.narrow(3, rotary / 2, rotary / 2);
        }
        var newA = a * cos - b * sin;
        var newB = b * cos + a * sin;
        var result = _rope.Interleaved
            ? torch.stack([newA, newB], 4).view(x.shape[0], x.shape[1], x.shape[2], rotary) // back to (2i, 2i+1)
            : torch.cat([newA, newB], 3);
        result = result.to(x.dtype);
        return rotary == headDim ? result : torch.cat([result, x.narrow(3, rotary, headDim - rotary)], 3);
    }

    public void Dispose() => _inverseFrequencies.Dispose();
}
