using IclPrune.Pruning;

namespace IclPrune.Models.Gpt2;

/// <summary>
/// GPT-2: attn.c_attn is q, k, v fused in a Conv1D weight [D, 3D] (input rows, output columns), so q, k and v
/// are column blocks [0, D), [D, 2D), [2D, 3D) (HF modeling_gpt2: c_attn(x).split(D, dim=2)); qkv is the whole matrix.
/// o = attn.c_proj, fc_in = mlp.c_fc, fc_out = mlp.c_proj. Checkpoints saved from the base model have no
/// "transformer." prefix (docs/models.md, key quirks), so the prefix is taken from the parameter names the model exposes.
/// </summary>
public sealed class Gpt2PruneMap : IPruneTargetMap
{
    readonly string _prefix;
    readonly long _hidden;

    public Gpt2PruneMap(int hiddenSize, IEnumerable<string> parameterNames)
    {
        _hidden = hiddenSize;
        _prefix = parameterNames.Any(n => n.StartsWith("transformer.h.", StringComparison.Ordinal)) ? "transformer.h." : "h.";
    }

    public string Family => "gpt2";

    public IReadOnlyList<PruneTarget> Targets { get; } =
        [PruneTarget.Q, PruneTarget.K, PruneTarget.V, PruneTarget.O, PruneTarget.Qkv, PruneTarget.FcIn, PruneTarget.FcOut];

    public MatrixSelection Locate(int layer, PruneTarget target)
    {
        string p = $"{_prefix}{layer}.";
        return target switch
        {
            PruneTarget.Q => new(p + "attn.c_attn.weight", layer, target, 1, MatrixSelection.Range(0, _hidden)),
            PruneTarget.K => new(p + "attn.c_attn.weight", layer, target, 1, MatrixSelection.Range(_hidden, _hidden)),
            PruneTarget.V => new(p + "attn.c_attn.weight", layer, target, 1, MatrixSelection.Range(2 * _hidden, _hidden)),
            PruneTarget.Qkv => new(p + "attn.c_attn.weight", layer, target),
            PruneTarget.O => new(p + "attn.c_proj.weight", layer, target),
            PruneTarget.FcIn => new(p + "mlp.c_fc.weight", layer, target),
            PruneTarget.FcOut => new(p + "mlp.c_proj.weight", layer, target),
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "GPT-2 has no such matrix."),
        };
    }
}
