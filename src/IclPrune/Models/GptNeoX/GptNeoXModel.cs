using System.Text.RegularExpressions;
using IclPrune.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Models.GptNeoX;

// GPT-NeoX / Pythia (Black et al. 2022; Biderman et al. 2023), after transformers/models/gpt_neox/modeling_gpt_neox.py:
// a fused query_key_value projection laid out PER HEAD as [q | k | v] (view [B,T,H,3*Dh]), partial rotary on the
// first rotary_pct of each head with half-split pairs, and (use_parallel_residual) attention and MLP in parallel
// from two separate LayerNorms.
// State-dict keys: gpt_neox.{embed_in, layers.{l}.{input_layernorm, post_attention_layernorm,
// attention.{query_key_value, dense}, mlp.{dense_h_to_4h, dense_4h_to_h}}, final_layer_norm}, embed_out.
// Shapes: B batch, T tokens, D hidden, H heads, Dh = D / H, I intermediate.

internal sealed class GptNeoXAttention : nn.Module
{
    readonly Projection query_key_value; // D -> 3D, rows grouped per head: [h0: q k v | h1: q k v | ...]
    readonly Projection dense;           // D -> D
    readonly long _heads, _headDim;
    readonly RotaryEmbedding _rotary;

    public GptNeoXAttention(ModelConfig config, RotaryEmbedding rotary, ModelLoadOptions options) : base(nameof(GptNeoXAttention))
    {
        query_key_value = new Projection(config.HiddenSize, 3L * config.HiddenSize, config.AttentionBias, options);
        dense = new Projection(config.HiddenSize, config.HiddenSize, config.AttentionBias, options);
        (_heads, _headDim) = (config.NumHeads, config.HeadDim);
        _rotary = rotary;
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, int layer, DecoderContext context)
    {
        long batch = x.shape[0], length = x.shape[1];
        var qkv = query_key_value.forward(x).view(batch, length, _heads, 3 * _headDim).transpose(1, 2); // [B,H,T,3Dh]
        var q = qkv.narrow(3, 0, _headDim);             // [B,H,T,Dh]
        var k = qkv.narrow(3, _headDim, _headDim);
        var v = qkv.narrow(3, 2 * _headDim, _headDim);
        var (cos, sin) = context.Rotary!.Value;
        q = _rotary.Apply(q, cos, sin);                 // half-split on the first rotary_ndims channels
        k = _rotary.Apply(k, cos, sin);
        var attended = CausalAttention.Attend(q, k, v.contiguous(), layer, context);
        return dense.forward(CausalAttention.MergeHeads(attended));
    }
}

internal sealed class GptNeoXMlp : nn.Module<Tensor, Tensor>
{
    readonly Projection dense_h_to_4h; // D -> I
    readonly Projection dense_4h_to_h; // I -> D
    readonly string _activation;

    public GptNeoXMlp(ModelConfig config, ModelLoadOptions options) : base(nameof(GptNeoXMlp))
    {
        dense_h_to_4h = new Projection(config.HiddenSize, config.IntermediateSize, hasBias: true, options);
        dense_4h_to_h = new Projection(config.IntermediateSize, config.HiddenSize, hasBias: true, options);
        _activation = config.Activation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => dense_4h_to_h.forward(Activation.Apply(_activation, dense_h_to_4h.forward(x)));
}

internal sealed class GptNeoXLayer : nn.Module
{
    readonly LayerNormalization input_layernorm;
    readonly LayerNormalization post_attention_layernorm;
    readonly GptNeoXAttention attention;
    readonly GptNeoXMlp mlp;
    readonly bool _parallel;

    public GptNeoXLayer(ModelConfig config, RotaryEmbedding rotary, ModelLoadOptions options) : base(nameof(GptNeoXLayer))
    {
        input_layernorm = new LayerNormalization(config.HiddenSize, config.NormEpsilon, options);
        post_attention_layernorm = new LayerNormalization(config.HiddenSize, config.NormEpsilon, options);
        attention = new GptNeoXAttention(config, rotary, options);
        mlp = new GptNeoXMlp(config, options);
        _parallel = config.ParallelResidual;
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, int layer, DecoderContext context)
    {
        var attended = attention.Forward(input_layernorm.forward(x), layer, context);
        if (_parallel)
            return x + attended + mlp.forward(post_attention_layernorm.forward(x)); // x + attn(ln1(x)) + mlp(ln2(x))
        x = x + attended;
        return x + mlp.forward(post_attention_layernorm.forward(x));
    }
}

internal sealed class GptNeoXBackbone : nn.Module
{
    public readonly TokenEmbedding embed_in;
    public readonly ModuleList<GptNeoXLayer> layers;
    public readonly LayerNormalization final_layer_norm;

    public GptNeoXBackbone(ModelConfig config, RotaryEmbedding rotary, ModelLoadOptions options) : base(nameof(GptNeoXBackbone))
    {
        embed_in = new TokenEmbedding(config.VocabSize, config.HiddenSize, options);
        layers = new ModuleList<GptNeoXLayer>(Enumerable.Range(0, config.NumLayers).Select(_ => new GptNeoXLayer(config, rotary, options)).ToArray());
        final_layer_norm = new LayerNormalization(config.HiddenSize, config.NormEpsilon, options);
        RegisterComponents();
    }
}

/// <summary>GPTNeoXForCausalLM.</summary>
public sealed partial class GptNeoXForCausalLM : DecoderModel
{
    readonly GptNeoXBackbone gpt_neox;
    readonly Projection? embed_out;
    readonly RotaryEmbedding _rotary;

    public GptNeoXForCausalLM(ModelConfig config, ModelLoadOptions options) : base(nameof(GptNeoXForCausalLM), config, options)
    {
        _rotary = new RotaryEmbedding(config.Rope!, options.ResolvedDevice);
        gpt_neox = new GptNeoXBackbone(config, _rotary, options);
        if (!config.TieWordEmbeddings)
            embed_out = new Projection(config.HiddenSize, config.VocabSize, hasBias: false, options);
        RegisterComponents();
    }

    private protected override void Prepare(DecoderContext context) => context.Rotary = _rotary.Angles(context.Positions);

    protected override Tensor Embed(Tensor ids, Tensor positions) => gpt_neox.embed_in.forward(ids);

    private protected override Tensor RunLayer(int layer, Tensor hidden, DecoderContext context) =>
        gpt_neox.layers[layer].Forward(hidden, layer, context);

    protected override Tensor FinalNorm(Tensor hidden) => gpt_neox.final_layer_norm.forward(hidden);

    protected override Tensor HeadWeight => embed_out?.Weight ?? gpt_neox.embed_in.Weight;

    // Pythia checkpoints carry mask buffers and rotary inv_freq per layer: not weights.
    [GeneratedRegex(@"^gpt_neox\.layers\.\d+\.attention\.(bias|masked_bias|rotary_emb\.inv_freq)$")]
    private static partial Regex Buffer();

    public override string? CanonicalKey(string checkpointKey)
    {
        if (Buffer().IsMatch(checkpointKey))
            return null;
        if (checkpointKey == "embed_out.weight" && Config.TieWordEmbeddings)
            return null;
        return checkpointKey;
    }

    protected override void DisposeExtras() => _rotary.Dispose();
}
