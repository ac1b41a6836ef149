using IclPrune.Dynamics;
using IclPrune.Evaluation;
using IclPrune.Models;
using IclPrune.Pruning;

namespace IclPrune.Search;

/// <summary>
/// The implicit-update norms (docs/icl-dynamics.md) of the model pruned by <paramref name="specs"/> (empty: unpruned)
/// on the sweep's task: what `sweep --icl-dynamics` records per cell.
/// </summary>
public delegate IclDynamicsResult PrunedDynamics(IReadOnlyList<PruneSpec> specs);

public static class SweepDynamics
{
    /// <summary>
    /// Measures on the real model: prunes inside the evaluator's restoring scope (the same SVD cache), measures over the
    /// evaluation's seeds, restores. GPT-2 family only, as <see cref="IclDynamics"/>; refused up front for others.
    /// </summary>
    public static PrunedDynamics For(LoadedModel loaded, EvaluationSession evaluator, TaskDataset data, IReadOnlyList<int> seeds)
    {
        if (loaded.Model.Description.ModelType != "gpt2")
            throw new UsageException($"--icl-dynamics is implemented for gpt2 models (fused c_attn, ln_1); {loaded.Id} is {loaded.Model.Description.ModelType}.");
        return specs =>
        {
            using var scope = evaluator.Pruner.Apply(evaluator.Resolve(specs));
            return IclDynamics.Measure(loaded, data, seeds);
        };
    }
}
