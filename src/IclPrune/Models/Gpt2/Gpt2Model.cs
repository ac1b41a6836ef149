using System.Text.RegularExpressions;
using IclPrune.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Models.Gpt2;

// GPT-2 (Radford et al. 2019), after transformers/models/gpt2/modeling_gpt2.py. Pre-norm blocks with learned
// absolute positions, a fused q/k/v projection and the LM head tied to wte. Field names are the state-dict keys of
// GPT2LMHeadModel: transformer.{wte, wpe, h.{l}.{ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj}, ln_f}.
// Shapes: B batch, T tokens, D hidden (n_embd), H heads, Dh = D / H, I inner (n_inner).

/// <summary>HF's Conv1D: a linear layer whose weight is stored transposed, [in, out]; y = x W + b.</summary>
internal sealed class Gpt2Conv1D : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter bias;

    public Gpt2Conv1D(long inFeatures, long outFeatures, ModelLoadOptions options) : base(nameof(Gpt2Conv1D))
    {
        weight = EmptyParameter.Create(options, inFeatures, outFeatures);
        bias = EmptyParameter.Create(options, outFeatures);
        RegisterComponents();
    }

    // linear() with the transposed view: BLAS reads the [in, out] layout directly, no copy.
    public override Tensor forward(Tensor x) => nn.functional.linear(x, weight.t(), bias);
}

internal sealed class Gpt2Attention : nn.Module
{
    readonly Gpt2Conv1D c_attn; // D -> 3D: [q | k | v]
    readonly Gpt2Conv1D c_proj; // D -> D
    readonly long _heads, _headDim;

    public Gpt2Attention(ModelConfig config, ModelLoadOptions options) : base(nameof(Gpt2Attention))
    {
        c_attn = new Gpt2Conv1D(config.HiddenSize, 3L * config.HiddenSize, options);
        c_proj = new Gpt2Conv1D(config.HiddenSize, config.HiddenSize, options);
        (_heads, _headDim) = (config.NumHeads, config.HeadDim);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, int layer, DecoderContext context)
    {
        var qkv = c_attn.forward(x).chunk(3, 2);                            // 3 x [B,T,D]
        var q = CausalAttention.SplitHeads(qkv[0], _heads, _headDim);       // [B,H,T,Dh]
        var k = CausalAttention.SplitHeads(qkv[1], _heads, _headDim);
        var v = CausalAttention.SplitHeads(qkv[2], _heads, _headDim);
        var attended = CausalAttention.Attend(q, k, v, layer, context);     // [B,H,T,Dh]
        return c_proj.forward(CausalAttention.MergeHeads(attended));        // [B,T,D]
    }
}

internal sealed class Gpt2Mlp : nn.Module<Tensor, Tensor>
{
    readonly Gpt2Conv1D c_fc;   // D -> I
    readonly Gpt2Conv1D c_proj; // I -> D
    readonly string _activation;

    public Gpt2Mlp(ModelConfig config, ModelLoadOptions options) : base(nameof(Gpt2Mlp))
    {
        c_fc = new Gpt2Conv1D(config.HiddenSize, config.IntermediateSize, options);
        c_proj = new Gpt2Conv1D(config.IntermediateSize, config.HiddenSize, options);
        _activation = config.Activation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => c_proj.forward(Activation.Apply(_activation, c_fc.forward(x)));
}

internal sealed class Gpt2Block : nn.Module
{
    readonly LayerNormalization ln_1;
    readonly Gpt2Attention attn;
    readonly LayerNormalization ln_2;
    readonly Gpt2Mlp mlp;

    public Gpt2Block(ModelConfig config, ModelLoadOptions options) : base(nameof(Gpt2Block))
    {
        ln_1 = new LayerNormalization(config.HiddenSize, config.NormEpsilon, options);
        attn = new Gpt2Attention(config, options);
        ln_2 = new LayerNormalization(config.HiddenSize, config.NormEpsilon, options);
        mlp = new Gpt2Mlp(config, options);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, int layer, DecoderContext context)
    {
        x = x + attn.Forward(ln_1.forward(x), layer, context);
        return x + mlp.forward(ln_2.forward(x));
    }
}

internal sealed class Gpt2Transformer : nn.Module
{
    public readonly TokenEmbedding wte; // [V, D]
    public readonly TokenEmbedding wpe; // [n_positions, D]
    public readonly ModuleList<Gpt2Block> h;
    public readonly LayerNormalization ln_f;

    public Gpt2Transformer(ModelConfig config, ModelLoadOptions options) : base(nameof(Gpt2Transformer))
    {
        wte = new TokenEmbedding(config.VocabSize, config.HiddenSize, options);
        wpe = new TokenEmbedding(config.MaxPositions, config.HiddenSize, options);
        h = new ModuleList<Gpt2Block>(Enumerable.Range(0, config.NumLayers).Select(_ => new Gpt2Block(config, options)).ToArray());
        ln_f = new LayerNormalization(config.HiddenSize, config.NormEpsilon, options);
        RegisterComponents();
    }
}

/// <summary>GPT2LMHeadModel: the transformer plus an LM head tied to wte (or lm_head.weight when untied).</summary>
public sealed partial class Gpt2ForCausalLM : DecoderModel
{
    readonly Gpt2Transformer transformer;
    readonly Projection? lm_head;

    public Gpt2ForCausalLM(ModelConfig config, ModelLoadOptions options) : base(nameof(Gpt2ForCausalLM), config, options)
    {
        transformer = new Gpt2Transformer(config, options);
        if (!config.TieWordEmbeddings)
            lm_head = new Projection(config.HiddenSize, config.VocabSize, hasBias: false, options);
        RegisterComponents();
    }

    protected override Tensor Embed(Tensor ids, Tensor positions) =>
        transformer.wte.forward(ids) + transformer.wpe.forward(positions);

    private protected override Tensor RunLayer(int layer, Tensor hidden, DecoderContext context) =>
        transformer.h[layer].Forward(hidden, layer, context);

    protected override Tensor FinalNorm(Tensor hidden) => transformer.ln_f.forward(hidden);

    protected override Tensor HeadWeight => lm_head?.Weight ?? transformer.wte.Weight;

    // openai-community/gpt2 was saved from the base model (no "transformer." prefix); fine-tunes saved from
    // GPT2LMHeadModel have it. attn.bias / attn.masked_bias are causal-mask buffers of old checkpoints.
    [GeneratedRegex(@"^(transformer\.)?h\.\d+\.attn\.(bias|masked_bias)$")]
    private static partial Regex MaskBuffer();

    public override string? CanonicalKey(string checkpointKey)
    {
        if (MaskBuffer().IsMatch(checkpointKey))
            return null;
        if (checkpointKey == "lm_head.weight")
            return Config.TieWordEmbeddings ? null : checkpointKey;
        return checkpointKey.StartsWith("transformer.", StringComparison.Ordinal) ? checkpointKey : "transformer." + checkpointKey;
    }
}
