using IclPrune.Pruning;

namespace IclPrune.Models.GptNeoX;

/// <summary>
/// GPT-NeoX (Pythia): attention.query_key_value is a Linear weight [3D, D] whose output rows are laid out per head
/// as [H, 3, Dh] (HF modeling_gpt_neox: qkv.view(..., H, 3*Dh), then q = [..., :Dh], k = [..., Dh:2Dh],
/// v = [..., 2Dh:]). So q is not the first third: it is rows h*3*Dh + j for every head h and j &lt; Dh.
/// o = attention.dense, fc_in = mlp.dense_h_to_4h, fc_out = mlp.dense_4h_to_h.
/// </summary>
public sealed class GptNeoXPruneMap : IPruneTargetMap
{
    readonly long _heads;
    readonly long _headDim;

    public GptNeoXPruneMap(int hiddenSize, int numHeads)
    {
        if (numHeads < 1 || hiddenSize % numHeads != 0)
            throw new IclPruneException($"GPT-NeoX hidden_size {hiddenSize} is not divisible by num_attention_heads {numHeads}.");
        _heads = numHeads;
        _headDim = hiddenSize / numHeads;
    }

    public string Family => "gpt_neox";

    public IReadOnlyList<PruneTarget> Targets { get; } =
        [PruneTarget.Q, PruneTarget.K, PruneTarget.V, PruneTarget.O, PruneTarget.Qkv, PruneTarget.FcIn, PruneTarget.FcOut];

    public MatrixSelection Locate(int layer, PruneTarget target)
    {
        string p = $"gpt_neox.layers.{layer}.";
        string qkv = p + "attention.query_key_value.weight";
        return target switch
        {
            PruneTarget.Q => new(qkv, layer, target, 0, HeadRows(0)),
            PruneTarget.K => new(qkv, layer, target, 0, HeadRows(1)),
            PruneTarget.V => new(qkv, layer, target, 0, HeadRows(2)),
            PruneTarget.Qkv => new(qkv, layer, target),
            PruneTarget.O => new(p + "attention.dense.weight", layer, target),
            PruneTarget.FcIn => new(p + "mlp.dense_h_to_4h.weight", layer, target),
            PruneTarget.FcOut => new(p + "mlp.dense_4h_to_h.weight", layer, target),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "GPT-NeoX has no such matrix."),
        };
    }

    /// <summary>Rows of part (0 q, 1 k, 2 v) in the per-head interleaved layout, head-major.</summary>
    long[] HeadRows(int part)
    {
        var rows = new long[_heads * _headDim];
        for (long h = 0; h < _heads; h++)
            for (long j = 0; j < _headDim; j++)
                rows[h * _headDim + j] = h * 3 * _headDim + part * _headDim + j;
        return rows;
    }
}
