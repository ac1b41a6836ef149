using IclPrune.Pruning;

namespace IclPrune.Models.Llama;

/// <summary>
/// LLaMA and the families that share its parameter names (Mistral, Qwen2): self_attn.q/k/v/o_proj and the gated
/// MLP, where fc_in = mlp.gate_proj, fc_up = mlp.up_proj, fc_out = mlp.down_proj. With grouped-query attention
/// k and v are [Hkv*Dh, D]: their kept rank follows their own min(m, n).
/// </summary>
public sealed class LlamaPruneMap : IPruneTargetMap
{
    public LlamaPruneMap(string family) => Family = family;

    public string Family { get; }

    public IReadOnlyList<PruneTarget> Targets { get; } =
        [PruneTarget.Q, PruneTarget.K, PruneTarget.V, PruneTarget.O, PruneTarget.FcIn, PruneTarget.FcUp, PruneTarget.FcOut];

    public MatrixSelection Locate(int layer, PruneTarget target)
    {
        string p = $"model.layers.{layer}.";
        string name = target switch
        {
            PruneTarget.Q => "self_attn.q_proj.weight",
            PruneTarget.K => "self_attn.k_proj.weight",
            PruneTarget.V => "self_attn.v_proj.weight",
            PruneTarget.O => "self_attn.o_proj.weight",
            PruneTarget.FcIn => "mlp.gate_proj.weight",
            PruneTarget.FcUp => "mlp.up_proj.weight",
            PruneTarget.FcOut => "mlp.down_proj.weight",
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, $"{Family} has no such matrix."),
        };
        return new MatrixSelection(p + name, layer, target);
    }
}
