namespace IclPrune.Pruning;

/// <summary>
/// One pruning instruction: targets of some layers at one kept rank. Compact form TARGETS@LAYERS:AMOUNT, e.g.
/// "mlp@26:0.95", "q,v@-2:rank=64", "attn@0-3:0.5", "all@all:0.1". Resolved against a model by <see cref="PrunePlan"/>.
/// </summary>
public sealed record PruneSpec(IReadOnlyList<PruneTargetSet> Targets, LayerSelection Layers, KeptRank Amount)
{
    public const string FormatHelp =
        "TARGETS@LAYERS:AMOUNT, e.g. mlp@26:0.95 or q,v@-2:rank=64 (TARGETS: comma-separated targets q, k, v, o, qkv, fc_in, " +
        "fc_up, fc_out or groups attn, mlp, all; LAYERS: 26, 0-3, all, or negative from the end; AMOUNT: rate in [0, 1) or rank=R)";

    public static PruneSpec Parse(string text)
    {
        int at = text.IndexOf('@');
        int colon = at < 0 ? -1 : text.IndexOf(':', at + 1);
        if (at <= 0 || colon < 0 || colon == text.Length - 1)
            throw new UsageException($"prune spec '{text}' is malformed: expected {FormatHelp}.");
        var targets = ParseTargets(text[..at], text);
        var layers = LayerSelection.Parse(text[(at + 1)..colon]);
        var amount = KeptRank.Parse(text[(colon + 1)..]);
        return new PruneSpec(targets, layers, amount);
    }

    public static IReadOnlyList<PruneTargetSet> ParseTargets(string list, string context)
    {
        var sets = new List<PruneTargetSet>();
        foreach (string word in list.Split(',', StringSplitOptions.TrimEntries))
        {
            var set = PruneTargetNames.TryParse(word)
                ?? throw new UsageException($"unknown target '{word}' in prune spec '{context}'; valid: {PruneTargetNames.ValidWords}.");
            sets.Add(set);
        }
        return sets;
    }

    public override string ToString() => $"{string.Join(",", Targets.Select(t => t.Name))}@{Layers}:{Amount}";
}
