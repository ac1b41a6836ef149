using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Models.Layers;

/// <summary>nn.Linear as Hugging Face stores it: weight [out, in], optional bias [out]; y = x W^T + b.</summary>
internal sealed class Projection : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter? bias;

    public Projection(long inFeatures, long outFeatures, bool hasBias, ModelLoadOptions options) : base(nameof(Projection))
    {
        weight = EmptyParameter.Create(options, outFeatures, inFeatures);
        if (hasBias)
            bias = EmptyParameter.Create(options, outFeatures);
        RegisterComponents();
    }

    public Parameter Weight => weight;
    public Parameter? Bias => bias;

    public override Tensor forward(Tensor x) => nn.functional.linear(x, weight, bias);
}

/// <summary>nn.LayerNorm: weight and bias [D], computed in the model dtype as Hugging Face does.</summary>
internal sealed class LayerNormalization : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter bias;
    readonly double _eps;

    public LayerNormalization(long size, double eps, ModelLoadOptions options) : base(nameof(LayerNormalization))
    {
        weight = EmptyParameter.Create(options, size);
        bias = EmptyParameter.Create(options, size);
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => nn.functional.layer_norm(x, [weight.shape[0]], weight, bias, _eps);
}

/// <summary>nn.Embedding: weight [V, D]; ids must be validated against V before (an out-of-range id is a native error).</summary>
internal sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;

    public TokenEmbedding(long count, long size, ModelLoadOptions options) : base(nameof(TokenEmbedding))
    {
        weight = EmptyParameter.Create(options, count, size);
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public override Tensor forward(Tensor ids)
    {
        var rows = weight.index_select(0, ids.reshape(-1)); // [B*T, D]
        return rows.view([.. ids.shape, weight.shape[1]]);  // [B, T, D]
    }
}
