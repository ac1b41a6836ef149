using System.Text.RegularExpressions;
using IclPrune.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Models.GptJ;

// GPT-J (Wang & Komatsuzaki 2021), after transformers/models/gptj/modeling_gptj.py: one LayerNorm per block feeding
// attention and MLP in parallel, rotary positions on the first rotary_dim channels of each head with INTERLEAVED
// pairs (rotate_every_two: channels 2i, 2i+1), no attention biases, an LM head with a bias.
// State-dict keys: transformer.{wte, h.{l}.{ln_1, attn.{q,k,v,out}_proj, mlp.{fc_in, fc_out}}, ln_f}, lm_head.{weight, bias}.
// Shapes: B batch, T tokens, D hidden (n_embd), H heads, Dh = D / H, I inner.

internal sealed class GptJAttention : nn.Module
{
    readonly Projection q_proj;   // D -> D
    readonly Projection k_proj;   // D -> D
    readonly Projection v_proj;   // D -> D
    readonly Projection out_proj; // D -> D
    readonly long _heads, _headDim;
    readonly RotaryEmbedding _rotary;

    public GptJAttention(ModelConfig config, RotaryEmbedding rotary, ModelLoadOptions options) : base(nameof(GptJAttention))
    {
        q_proj = new Projection(config.HiddenSize, config.HiddenSize, hasBias: false, options);
        k_proj = new Projection(config.HiddenSize, config.HiddenSize, hasBias: false, options);
        v_proj = new Projection(config.HiddenSize, config.HiddenSize, hasBias: false, options);
        out_proj = new Projection(config.HiddenSize, config.HiddenSize, hasBias: false, options);
        (_heads, _headDim) = (config.NumHeads, config.HeadDim);
        _rotary = rotary;
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, int layer, DecoderContext context)
    {
        var q = CausalAttention.SplitHeads(q_proj.forward(x), _heads, _headDim); // [B,H,T,Dh]
        var k = CausalAttention.SplitHeads(k_proj.forward(x), _heads, _headDim);
        var v = CausalAttention.SplitHeads(v_proj.forward(x), _heads, _headDim);
        var (cos, sin) = context.Rotary!.Value;
        q = _rotary.Apply(q, cos, sin); // interleaved, first rotary_dim channels only
        k = _rotary.Apply(k, cos, sin);
        var attended = CausalAttention.Attend(q, k, v, layer, context);
        return out_proj.forward(CausalAttention.MergeHeads(attended));          // [B,T,D]
    }
}

internal sealed class GptJMlp : nn.Module<Tensor, Tensor>
{
    readonly Projection fc_in;  // D -> I
    readonly Projection fc_out; // I -> D
    readonly string _activation;

    public GptJMlp(ModelConfig config, ModelLoadOptions options) : base(nameof(GptJMlp))
    {
        fc_in = new Projection(config.HiddenSize, config.IntermediateSize, hasBias: true, options);
        fc_out = new Projection(config.IntermediateSize, config.HiddenSize, hasBias: true, options);
        _activation = config.Activation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc_out.forward(Activation.Apply(_activation, fc_in.forward(x)));
}

internal sealed class GptJBlock : nn.Module
{
    readonly LayerNormalization ln_1;
    readonly GptJAttention attn;
    readonly GptJMlp mlp;

    public GptJBlock(ModelConfig config, RotaryEmbedding rotary, ModelLoadOptions options) : base(nameof(GptJBlock))
    {
        ln_1 = new LayerNormalization(config.HiddenSize, config.NormEpsilon, options);
        attn = new GptJAttention(config, rotary, options);
        mlp = new GptJMlp(config, options);
        RegisterComponents();
    }

    /// <summary>Parallel residual: x + attn(ln_1(x)) + mlp(ln_1(x)).</summary>
    public Tensor Forward(Tensor x, int layer, DecoderContext context)
    {
        var normed = ln_1.forward(x);
        return x + attn.Forward(normed, layer, context) + mlp.forward(normed);
    }
}

internal sealed class GptJTransformer : nn.Module
{
    public readonly TokenEmbedding wte;
    public readonly ModuleList<GptJBlock> h;
    public readonly LayerNormalization ln_f;

    public GptJTransformer(ModelConfig config, RotaryEmbedding rotary, ModelLoadOptions options) : base(nameof(GptJTransformer))
    {
        wte = new TokenEmbedding(config.VocabSize, config.HiddenSize, options);
        h = new ModuleList<GptJBlock>(Enumerable.Range(0, config.NumLayers).Select(_ => new GptJBlock(config, rotary, options)).ToArray());
        ln_f = new LayerNormalization(config.HiddenSize, config.NormEpsilon, options);
        RegisterComponents();
    }
}

/// <summary>GPTJForCausalLM.</summary>
public sealed partial class GptJForCausalLM : DecoderModel
{
    readonly GptJTransformer transformer;
    readonly Projection lm_head; // D -> V, with bias
    readonly RotaryEmbedding _rotary;

    public GptJForCausalLM(ModelConfig config, ModelLoadOptions options) : base(nameof(GptJForCausalLM), config, options)
    {
        _rotary = new RotaryEmbedding(config.Rope!, options.ResolvedDevice);
        transformer = new GptJTransformer(config, _rotary, options);
        lm_head = new Projection(config.HiddenSize, config.VocabSize, hasBias: true, options);
        RegisterComponents();
    }

    private protected override void Prepare(DecoderContext context) => context.Rotary = _rotary.Angles(context.Positions);

    protected override Tensor Embed(Tensor ids, Tensor positions) => transformer.wte.forward(ids);

    private protected override Tensor RunLayer(int layer, Tensor hidden, DecoderContext context) =>
        transformer.h[layer].Forward(hidden, layer, context);

    protected override Tensor FinalNorm(Tensor hidden) => transformer.ln_f.forward(hidden);

    protected override Tensor HeadWeight => lm_head.Weight;
    protected override Tensor? HeadBias => lm_head.Bias;

    // Causal-mask buffers of the original checkpoints (EleutherAI/gpt-j-6b).
    [GeneratedRegex(@"^transformer\.h\.\d+\.attn\.(bias|masked_bias)$")]
    private static partial Regex MaskBuffer();

    public override string? CanonicalKey(string checkpointKey) => MaskBuffer().IsMatch(checkpointKey) ? null : checkpointKey;

    protected override void DisposeExtras() => _rotary.Dispose();
}
