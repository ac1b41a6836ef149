using IclPrune.Evaluation;
using IclPrune.Pruning;

namespace IclPrune.Search;

/// <summary>
/// Scores the model pruned by <paramref name="specs"/> on some items of one split: <paramref name="positions"/> index
/// the split's scored items in the order a whole-split <see cref="PrunedEvaluator"/> scores them, and the result's
/// ItemCorrect follows <paramref name="positions"/>. Each item's outcome must not depend on which other items are
/// scored with it (the demonstrations depend only on the seed), so scoring a split in slices gives the whole split's
/// outcomes. The racing rate search (<see cref="RateRace"/>) only talks to this.
/// </summary>
public delegate EvaluationResult PrunedSubsetEvaluator(IReadOnlyList<PruneSpec> specs, SplitRole split, IReadOnlyList<int> positions);

/// <summary>What racing needs besides the options: how many validation items there are, and how to score some of them.</summary>
public sealed record SubsetScoring(int ValidationItems, PrunedSubsetEvaluator Evaluate);
