using IclPrune.Evaluation;
using IclPrune.Pruning;

namespace IclPrune.Search;

/// <summary>
/// The paper's derivative-free search (docs/method.md section 2): the top-k layers of the module by condition number, the
/// deepest of them, then every rate of the grid from the ORIGINAL weights, keeping a rate only on strict improvement
/// of validation accuracy, and finally test accuracy unpruned vs pruned at the chosen rate.
/// </summary>
public static class Algorithm1
{
    public static SearchResult Run(SearchOptions options, IReadOnlyList<LayerCondition> conditions, PrunedEvaluator evaluate,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate(conditions.Count);
        var summaries = conditions
            .Select(c => new LayerConditionSummary(c.Layer, c.Reduce(options.Reduce), c.Matrices))
            .ToList();
        var topLayers = TopLayers(summaries, options.TopK);
        int layer = topLayers.Max();
        progress?.Report($"top-{options.TopK} layers by condition number: {string.Join(", ", topLayers)}; pruning {options.Module} of layer {layer}");

        var baseline = evaluate([], SplitRole.Validation);
        int bestCorrect = TotalCorrect(baseline);
        decimal bestRate = 0m;
        var curve = new List<CurvePoint>();
        foreach (decimal rate in options.Grid)
        {
            cancellation.ThrowIfCancellationRequested();
            var spec = Spec(options.Module, layer, rate);
            // xi = 0 leaves the weights bit-identical: its score is the baseline's, no need to evaluate it again.
            var result = rate == 0m ? baseline : evaluate([spec], SplitRole.Validation);
            int correct = TotalCorrect(result);
            bool improved = correct > bestCorrect;
            if (improved)
            {
                bestCorrect = correct;
                bestRate = rate;
            }
            curve.Add(new CurvePoint(rate, spec.ToString(), result.Accuracy, correct, TotalN(result), improved));
            progress?.Report($"{spec}: validation accuracy {result.Accuracy:F4}{(improved ? " (best so far)" : "")}");
        }

        cancellation.ThrowIfCancellationRequested();
        var testBaseline = evaluate([], SplitRole.Test);
        PruneSpec? best = bestRate == 0m ? null : Spec(options.Module, layer, bestRate);
        var testPruned = best is null ? testBaseline : evaluate([best], SplitRole.Test);
        var test = new TestComparison(best?.ToString(), testBaseline.Accuracy, testPruned.Accuracy,
            SeedPairing.PerSeed(testBaseline, testPruned),
            Evaluation.Comparison.AccuracyComparison.Compare(testBaseline, testPruned, "unpruned", "pruned"));

        return new SearchResult(options.Module, options.TopK, options.Reduce.ToString().ToLowerInvariant(), summaries,
            topLayers, layer, curve, bestRate, best?.ToString(), test);
    }

    /// <summary>The k layers with the largest numbers; ties go to the deeper layer (the paper's preference for depth).</summary>
    public static IReadOnlyList<int> TopLayers(IReadOnlyList<LayerConditionSummary> layers, int k) =>
        layers.OrderByDescending(l => l.ConditionNumber).ThenByDescending(l => l.Layer).Take(k).Select(l => l.Layer).ToList();

    public static PruneSpec Spec(string module, int layer, decimal rate) =>
        new(PruneSpec.ParseTargets(module, module), LayerSelection.Single(layer), KeptRank.FromRate(rate));

    /// <summary>
    /// Correct answers summed over seeds: the same split and seeds for every rate, so comparing integers is comparing
    /// accuracies, without floating-point ties deciding "strict improvement".
    /// </summary>
    static int TotalCorrect(EvaluationResult r) => r.PerSeed.Count > 0
        ? r.PerSeed.Sum(s => s.Correct)
        : throw new InvalidOperationException("an evaluation result without per-seed counts cannot be compared.");

    static int TotalN(EvaluationResult r) => r.PerSeed.Sum(s => s.N);
}
