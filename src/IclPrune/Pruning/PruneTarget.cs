namespace IclPrune.Pruning;

/// <summary>
/// One prunable matrix role, the same word for every family (docs/pruning.md has the per-family table).
/// Q, K, V are slices when the family fuses them (GPT-2 c_attn, GPT-NeoX query_key_value); Qkv is the whole fused
/// matrix and exists only in those families. FcIn is the first MLP matrix (LLaMA: gate_proj), FcUp the LLaMA-style
/// up_proj (gated MLPs only), FcOut the projection back to the hidden size.
/// </summary>
public enum PruneTarget
{
    Q,
    K,
    V,
    O,
    Qkv,
    FcIn,
    FcUp,
    FcOut,
}

/// <summary>The spelling of targets and groups on the command line and in recipes.</summary>
public static class PruneTargetNames
{
    static readonly (string Name, PruneTarget Target)[] Targets =
    [
        ("q", PruneTarget.Q), ("k", PruneTarget.K), ("v", PruneTarget.V), ("o", PruneTarget.O),
        ("qkv", PruneTarget.Qkv), ("fc_in", PruneTarget.FcIn), ("fc_up", PruneTarget.FcUp), ("fc_out", PruneTarget.FcOut),
    ];

    /// <summary>Groups name roles, not matrices: a family maps each role it has and skips the rest (fc_up in GPT-2).</summary>
    public static readonly IReadOnlyList<string> GroupNames = ["attn", "mlp", "all"];

    public static IReadOnlyList<string> TargetNames => Targets.Select(t => t.Name).ToList();

    public static string Name(PruneTarget target) => Targets.First(t => t.Target == target).Name;

    public static bool IsGroup(string word) => GroupNames.Contains(word);

    /// <summary>
    /// The roles of a group. attn is q, k, v, o everywhere (per-third slices in fused families, so the same spec
    /// means the same math in every family); the whole fused matrix is only pruned when asked for with qkv.
    /// </summary>
    public static IReadOnlyList<PruneTarget> GroupMembers(string group) => group switch
    {
        "attn" => [PruneTarget.Q, PruneTarget.K, PruneTarget.V, PruneTarget.O],
        "mlp" => [PruneTarget.FcIn, PruneTarget.FcUp, PruneTarget.FcOut],
        "all" => [PruneTarget.Q, PruneTarget.K, PruneTarget.V, PruneTarget.O, PruneTarget.FcIn, PruneTarget.FcUp, PruneTarget.FcOut],
        _ => throw new UsageException($"unknown target group '{group}'; valid groups: {string.Join(", ", GroupNames)}."),
    };

    /// <summary>The group a role belongs to: "attn" for q, k, v, o and the fused qkv, "mlp" for the MLP matrices.</summary>
    public static string GroupOf(PruneTarget target) =>
        target is PruneTarget.FcIn or PruneTarget.FcUp or PruneTarget.FcOut ? "mlp" : "attn";

    /// <summary>Parses one word (a target or a group) into a target set; null when the word is neither.</summary>
    public static PruneTargetSet? TryParse(string word)
    {
        string w = word.Trim().ToLowerInvariant();
        if (IsGroup(w)) return new PruneTargetSet(w, GroupMembers(w), IsGroup: true);
        foreach (var (name, target) in Targets)
            if (name == w) return new PruneTargetSet(name, [target], IsGroup: false);
        return null;
    }

    public static string ValidWords =>
        $"targets {string.Join(", ", TargetNames)}; groups {string.Join(", ", GroupNames)}";
}

/// <summary>
/// What a spec asks for: a name as the user wrote it and its roles. A group keeps only the roles the family has;
/// a single target the family lacks is an error.
/// </summary>
public sealed record PruneTargetSet(string Name, IReadOnlyList<PruneTarget> Targets, bool IsGroup)
{
    public override string ToString() => Name;
}
