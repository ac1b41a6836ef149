using IclPrune.Pruning;

namespace IclPrune.Models.GptJ;

/// <summary>GPT-J (docs/method.md section 1): separate attn.q_proj/k_proj/v_proj/out_proj and mlp.fc_in/fc_out, Linear [out, in].</summary>
public sealed class GptJPruneMap : IPruneTargetMap
{
    public string Family => "gptj";

    public IReadOnlyList<PruneTarget> Targets { get; } =
        [PruneTarget.Q, PruneTarget.K, PruneTarget.V, PruneTarget.O, PruneTarget.FcIn, PruneTarget.FcOut];

    public MatrixSelection Locate(int layer, PruneTarget target)
    {
        string p = $"transformer.h.{layer}.";
        string name = target switch
        {
            PruneTarget.Q => "attn.q_proj.weight",
            PruneTarget.K => "attn.k_proj.weight",
            PruneTarget.V => "attn.v_proj.weight",
            PruneTarget.O => "attn.out_proj.weight",
            PruneTarget.FcIn => "mlp.fc_in.weight",
            PruneTarget.FcOut => "mlp.fc_out.weight",
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "GPT-J has no such matrix."),
        };
        return new MatrixSelection(p + name, layer, target);
    }
}
