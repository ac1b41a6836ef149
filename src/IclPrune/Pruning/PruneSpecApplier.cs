using IclPrune.Models;

namespace IclPrune.Pruning;

/// <summary>
/// Prunes a model for good from spec strings (`inspect --icl-dynamics --icl-prune SPEC`): parses and resolves every
/// spec before touching a weight (so an invalid one is a usage error with the valid choices, and nothing is
/// half-pruned), then prunes permanently. Returns the specs in canonical compact form.
/// </summary>
public sealed class PruneSpecApplier
{
    public IReadOnlyList<string> Apply(ICausalLanguageModel model, IReadOnlyList<string> specs)
    {
        var parsed = specs.Select(PruneSpec.Parse).ToList();
        var map = PruneTargetMaps.For(model.Description, model.NamedParameters.Keys);
        var plan = PrunePlan.Resolve(parsed, map, model.Description.NumLayers, model.NamedParameters);
        using var pruner = new Pruner(model.NamedParameters, cacheSvd: false);
        pruner.ApplyPermanently(plan);
        return parsed.Select(s => s.ToString()).ToList();
    }
}
