using IclPrune.Evaluation;
using IclPrune.Pruning;

namespace IclPrune.Search;

/// <summary>
/// Scores the model pruned by <paramref name="specs"/> (empty: unpruned) on one split. The search and the sweep
/// only talk to this, so they are tested on constructed cases and run unchanged on any evaluator.
/// </summary>
public delegate EvaluationResult PrunedEvaluator(IReadOnlyList<PruneSpec> specs, SplitRole split);
