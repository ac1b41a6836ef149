using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace IclPrune.Training;

// A trainable GPT-2 (HF GPT2LMHeadModel layout, pre-LayerNorm, tied head) for train-tiny. It exists beside the
// inference model in Models/Gpt2 because training wants the plainest possible graph: no KV cache, no padding masks,
// no dtype juggling, dropout-free, logits only at the positions that carry a loss. Field names ARE the HF state-dict
// keys (transformer.h.0.attn.c_attn.weight, ...) and Conv1D weights are stored [in, out] as HF does, so the state
// dict saves straight to a model.safetensors that the HF loader reads. Shapes: B batch, T tokens, D n_embd, H heads.

/// <summary>HF's Conv1D: y = x W + b with W stored [in, out] (the transpose of nn.Linear).</summary>
internal sealed class TinyConv1D : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // HF key names
    readonly Parameter weight;
    readonly Parameter bias;
#pragma warning restore IDE1006

    public TinyConv1D(int inFeatures, int outFeatures) : base("Conv1D")
    {
        weight = new Parameter(zeros(inFeatures, outFeatures));
        bias = new Parameter(zeros(outFeatures));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => addmm(bias, x.reshape(-1, x.shape[^1]), weight, 1, 1)
        .view([.. x.shape[..^1], weight.shape[1]]);
}

internal sealed class TinyGpt2Attention : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    readonly TinyConv1D c_attn;
    readonly TinyConv1D c_proj;
#pragma warning restore IDE1006
    readonly int _heads;

    public TinyGpt2Attention(TinyGpt2Config config) : base("GPT2Attention")
    {
        c_attn = new TinyConv1D(config.NEmbd, 3 * config.NEmbd);
        c_proj = new TinyConv1D(config.NEmbd, config.NEmbd);
        _heads = config.NHead;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        var qkv = c_attn.forward(x).view(b, t, 3, _heads, d / _heads); // [B,T,3,H,hd]
        var q = qkv.select(2, 0).transpose(1, 2);                       // [B,H,T,hd]
        var k = qkv.select(2, 1).transpose(1, 2);
        var v = qkv.select(2, 2).transpose(1, 2);
        var y = F.scaled_dot_product_attention(q, k, v, is_casual: true); // [B,H,T,hd], scale 1/sqrt(hd) as GPT-2
        return c_proj.forward(y.transpose(1, 2).reshape(b, t, d));
    }
}

internal sealed class TinyGpt2Mlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    readonly TinyConv1D c_fc;
    readonly TinyConv1D c_proj;
#pragma warning restore IDE1006

    public TinyGpt2Mlp(TinyGpt2Config config) : base("GPT2MLP")
    {
        c_fc = new TinyConv1D(config.NEmbd, 4 * config.NEmbd);
        c_proj = new TinyConv1D(4 * config.NEmbd, config.NEmbd);
        RegisterComponents();
    }

    // gelu_new = tanh approximation (HF activations.py NewGELUActivation).
    public override Tensor forward(Tensor x) => c_proj.forward(F.gelu(c_fc.forward(x), TorchSharp.Modules.GELU.Approximate.tanh));
}

internal sealed class TinyGpt2Block : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    readonly LayerNorm ln_1;
    readonly TinyGpt2Attention attn;
    readonly LayerNorm ln_2;
    readonly TinyGpt2Mlp mlp;
#pragma warning restore IDE1006

    public TinyGpt2Block(TinyGpt2Config config) : base("GPT2Block")
    {
        ln_1 = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon);
        attn = new TinyGpt2Attention(config);
        ln_2 = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon);
        mlp = new TinyGpt2Mlp(config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = x + attn.forward(ln_1.forward(x));
        return h + mlp.forward(ln_2.forward(h));
    }
}

internal sealed class TinyGpt2Body : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    readonly Embedding wte;
    readonly Embedding wpe;
    readonly ModuleList<TinyGpt2Block> h;
    readonly LayerNorm ln_f;
#pragma warning restore IDE1006

    public TinyGpt2Body(TinyGpt2Config config) : base("GPT2Model")
    {
        wte = nn.Embedding(config.VocabSize, config.NEmbd);
        wpe = nn.Embedding(config.NPositions, config.NEmbd);
        h = new ModuleList<TinyGpt2Block>([.. Enumerable.Range(0, config.NLayer).Select(_ => new TinyGpt2Block(config))]);
        ln_f = nn.LayerNorm(config.NEmbd, config.LayerNormEpsilon);
        RegisterComponents();
    }

    public Tensor TokenEmbedding => wte.weight!;
    public Tensor PositionEmbedding => wpe.weight!;

    public override Tensor forward(Tensor ids)
    {
        var positions = arange(ids.shape[1], dtype: ScalarType.Int64, device: ids.device); // [T]
        var x = wte.forward(ids) + wpe.forward(positions);                                // [B,T,D]
        foreach (var block in h) x = block.forward(x);
        return ln_f.forward(x);
    }
}

/// <summary>GPT2LMHeadModel for training: ids [B,T] to final-norm hidden states [B,T,D]; the head is tied to wte.</summary>
internal sealed class TinyGpt2 : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    readonly TinyGpt2Body transformer;
#pragma warning restore IDE1006

    public TinyGpt2Config Config { get; }

    public TinyGpt2(TinyGpt2Config config, Generator generator) : base("GPT2LMHeadModel")
    {
        config.Validate();
        Config = config;
        transformer = new TinyGpt2Body(config);
        RegisterComponents();
        Initialize(generator);
    }

    public override Tensor forward(Tensor ids) => transformer.forward(ids);

    /// <summary>Logits [N,V] of hidden rows [N,D] through the tied head.</summary>
    public Tensor Logits(Tensor hidden) => hidden.matmul(transformer.TokenEmbedding.t());

    // GPT-2's init (HF GPT2PreTrainedModel._init_weights): N(0, 0.02) for weights, zero biases, LayerNorm 1/0, and
    // residual projections (c_proj) scaled by 1/sqrt(2 n_layer). Drawn from an explicit generator: the global
    // torch seed is process-wide and other code (tests in parallel) would change it.
    void Initialize(Generator generator)
    {
        InitializeWeights(generator);
        if (Config.SinusoidalPositions) InitializeSinusoidalPositions();
    }

    // wpe starts as Vaswani et al.'s sinusoids (scaled to the size of the token embeddings) instead of noise: a
    // relative offset ("the previous token") is then a fixed linear map for every position, so the previous-token
    // head that induction needs (Olsson et al. 2022) does not have to be learned position by position. wpe stays
    // an ordinary trained GPT-2 parameter; only its starting point changes.
    void InitializeSinusoidalPositions()
    {
        using var noGrad = no_grad();
        int d = Config.NEmbd;
        var table = new float[Config.NPositions * d];
        for (int p = 0; p < Config.NPositions; p++)
            for (int i = 0; i < d / 2; i++)
            {
                double angle = p / Math.Pow(10000, 2.0 * i / d);
                table[p * d + 2 * i] = (float)(0.05 * Math.Sin(angle));
                table[p * d + 2 * i + 1] = (float)(0.05 * Math.Cos(angle));
            }
        transformer.PositionEmbedding.copy_(tensor(table, [Config.NPositions, d]));
    }

    void InitializeWeights(Generator generator)
    {
        using var noGrad = no_grad();
        double residualStd = 0.02 / Math.Sqrt(2.0 * Config.NLayer);
        foreach (var (name, p) in named_parameters())
        {
            if (name.Contains(".ln_")) { if (name.EndsWith(".weight")) p.fill_(1.0); else p.zero_(); }
            else if (name.EndsWith(".bias")) p.zero_();
            else
            {
                double std = name.EndsWith("c_proj.weight") ? residualStd : 0.02;
                p.copy_(randn(p.shape, generator: generator) * std);
            }
        }
    }
}
