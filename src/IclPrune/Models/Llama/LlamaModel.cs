using System.Text.RegularExpressions;
using IclPrune.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Models.Llama;

// LLaMA (Touvron et al. 2023) and its close relatives Mistral and Qwen2, after transformers/models/llama/
// modeling_llama.py: RMSNorm pre-norm blocks, rotary positions (half-split, on the whole head), grouped-query
// attention (num_key_value_heads), SwiGLU MLP. Qwen2 adds q/k/v biases; Llama 3.1 scales rotary frequencies.
// State-dict keys: model.{embed_tokens, layers.{l}.{input_layernorm, self_attn.{q,k,v,o}_proj,
// post_attention_layernorm, mlp.{gate,up,down}_proj}, norm}, lm_head.
// Shapes: B batch, T tokens, D hidden, H heads, Hkv key/value heads, Dh head_dim, I intermediate.

/// <summary>RMSNorm in float32 whatever the model dtype (HF LlamaRMSNorm), then scaled by weight in the model dtype.</summary>
internal sealed class LlamaRmsNorm : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly double _eps;

    public LlamaRmsNorm(long size, double eps, ModelLoadOptions options) : base(nameof(LlamaRmsNorm))
    {
        weight = EmptyParameter.Create(options, size);
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var x32 = x.to(ScalarType.Float32);
        var normalized = x32 * (x32.pow(2).mean([-1], keepdim: true) + _eps).rsqrt();
        return weight * normalized.to(x.dtype);
    }
}

internal sealed class LlamaAttention : nn.Module
{
    readonly Projection q_proj; // D -> H*Dh
    readonly Projection k_proj; // D -> Hkv*Dh
    readonly Projection v_proj; // D -> Hkv*Dh
    readonly Projection o_proj; // H*Dh -> D
    readonly long _heads, _kvHeads, _headDim;
    readonly RotaryEmbedding _rotary;

    public LlamaAttention(ModelConfig config, RotaryEmbedding rotary, ModelLoadOptions options) : base(nameof(LlamaAttention))
    {
        (_heads, _kvHeads, _headDim) = (config.NumHeads, config.NumKeyValueHeads, config.HeadDim);
        // Llama attention_bias puts a bias on all four; Qwen2 on q/k/v only.
        bool outputBias = config.AttentionBias && config.ModelType == "llama";
        q_proj = new Projection(config.HiddenSize, _heads * _headDim, config.AttentionBias, options);
        k_proj = new Projection(config.HiddenSize, _kvHeads * _headDim, config.AttentionBias, options);
        v_proj = new Projection(config.HiddenSize, _kvHeads * _headDim, config.AttentionBias, options);
        o_proj = new Projection(_heads * _headDim, config.HiddenSize, outputBias, options);
        _rotary = rotary;
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, int layer, DecoderContext context)
    {
        var q = CausalAttention.SplitHeads(q_proj.forward(x), _heads, _headDim);    // [B,H,T,Dh]
        var k = CausalAttention.SplitHeads(k_proj.forward(x), _kvHeads, _headDim);  // [B,Hkv,T,Dh]
        var v = CausalAttention.SplitHeads(v_proj.forward(x), _kvHeads, _headDim);
        var (cos, sin) = context.Rotary!.Value;
        q = _rotary.Apply(q, cos, sin);
        k = _rotary.Apply(k, cos, sin);
        var attended = CausalAttention.Attend(q, k, v, layer, context);             // [B,H,T,Dh]
        return o_proj.forward(CausalAttention.MergeHeads(attended));                // [B,T,D]
    }
}

/// <summary>SwiGLU (Shazeer 2020): down(act(gate(x)) * up(x)).</summary>
internal sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    readonly Projection gate_proj; // D -> I
    readonly Projection up_proj;   // D -> I
    readonly Projection down_proj; // I -> D
    readonly string _activation;

    public LlamaMlp(ModelConfig config, ModelLoadOptions options) : base(nameof(LlamaMlp))
    {
        gate_proj = new Projection(config.HiddenSize, config.IntermediateSize, config.MlpBias, options);
        up_proj = new Projection(config.HiddenSize, config.IntermediateSize, config.MlpBias, options);
        down_proj = new Projection(config.IntermediateSize, config.HiddenSize, config.MlpBias, options);
        _activation = config.Activation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        down_proj.forward(Activation.Apply(_activation, gate_proj.forward(x)) * up_proj.forward(x));
}

internal sealed class LlamaDecoderLayer : nn.Module
{
    readonly LlamaRmsNorm input_layernorm;
    readonly LlamaAttention self_attn;
    readonly LlamaRmsNorm post_attention_layernorm;
    readonly LlamaMlp mlp;

    public LlamaDecoderLayer(ModelConfig config, RotaryEmbedding rotary, ModelLoadOptions options) : base(nameof(LlamaDecoderLayer))
    {
        input_layernorm = new LlamaRmsNorm(config.HiddenSize, config.NormEpsilon, options);
        self_attn = new LlamaAttention(config, rotary, options);
        post_attention_layernorm = new LlamaRmsNorm(config.HiddenSize, config.NormEpsilon, options);
        mlp = new LlamaMlp(config, options);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, int layer, DecoderContext context)
    {
        x = x + self_attn.Forward(input_layernorm.forward(x), layer, context);
        return x + mlp.forward(post_attention_layernorm.forward(x));
    }
}

internal sealed class LlamaBackbone : nn.Module
{
    public readonly TokenEmbedding embed_tokens;
    public readonly ModuleList<LlamaDecoderLayer> layers;
    public readonly LlamaRmsNorm norm;

    public LlamaBackbone(ModelConfig config, RotaryEmbedding rotary, ModelLoadOptions options) : base(nameof(LlamaBackbone))
    {
        embed_tokens = new TokenEmbedding(config.VocabSize, config.HiddenSize, options);
        layers = new ModuleList<LlamaDecoderLayer>(Enumerable.Range(0, config.NumLayers).Select(_ => new LlamaDecoderLayer(config, rotary, options)).ToArray());
        norm = new LlamaRmsNorm(config.HiddenSize, config.NormEpsilon, options);
        RegisterComponents();
    }
}

/// <summary>LlamaForCausalLM / MistralForCausalLM / Qwen2ForCausalLM (same layout and math here).</summary>
public sealed partial class LlamaForCausalLM : DecoderModel
{
    readonly LlamaBackbone model;
    readonly Projection? lm_head;
    readonly RotaryEmbedding _rotary;

    public LlamaForCausalLM(ModelConfig config, ModelLoadOptions options) : base(nameof(LlamaForCausalLM), config, options)
    {
        _rotary = new RotaryEmbedding(config.Rope!, options.ResolvedDevice);
        model = new LlamaBackbone(config, _rotary, options);
        if (!config.TieWordEmbeddings)
            lm_head = new Projection(config.HiddenSize, config.VocabSize, hasBias: false, options);
        RegisterComponents();
    }

    private protected override void Prepare(DecoderContext context) => context.Rotary = _rotary.Angles(context.Positions);

    protected override Tensor Embed(Tensor ids, Tensor positions) => model.embed_tokens.forward(ids);

    private protected override Tensor RunLayer(int layer, Tensor hidden, DecoderContext context) =>
        model.layers[layer].Forward(hidden, layer, context);

    protected override Tensor FinalNorm(Tensor hidden) => model.norm.forward(hidden);

    protected override Tensor HeadWeight => lm_head?.Weight ?? model.embed_tokens.Weight;

    // Older conversions store rotary_emb.inv_freq per layer: derived from rope_theta, never loaded.
    [GeneratedRegex(@"^model\.layers\.\d+\.self_attn\.rotary_emb\.inv_freq$")]
    private static partial Regex InverseFrequencyBuffer();

    public override string? CanonicalKey(string checkpointKey)
    {
        if (InverseFrequencyBuffer().IsMatch(checkpointKey))
            return null;
        if (checkpointKey == "lm_head.weight" && Config.TieWordEmbeddings)
            return null; // tied: some exporters save the shared matrix twice
        return checkpointKey;
    }

    protected override void DisposeExtras() => _rotary.Dispose();
}
