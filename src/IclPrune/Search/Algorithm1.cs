using IclPrune.Evaluation;
using IclPrune.Pruning;

namespace IclPrune.Search;

/// <summary>
/// The paper's derivative-free search (docs/method.md section 2): the top-k layers of the module by condition number, the
/// deepest of them, then every rate of the grid from the ORIGINAL weights, keeping a rate only on strict improvement
/// of validation accuracy, and finally test accuracy unpruned vs pruned at the chosen rate. With
/// <see cref="SearchOptions.Racing"/> the rates race on growing validation subsets instead (docs/pruning.md, "Racing").
/// </summary>
public static class Algorithm1
{
    public static SearchResult Run(SearchOptions options, IReadOnlyList<LayerCondition> conditions, PrunedEvaluator evaluate,
        IProgress<string>? progress = null, CancellationToken cancellation = default, SubsetScoring? subsets = null)
    {
        options.Validate(conditions.Count);
        var summaries = conditions
            .Select(c => new LayerConditionSummary(c.Layer, c.Reduce(options.Reduce), c.Matrices))
            .ToList();
        var topLayers = TopLayers(summaries, options.TopK);
        int layer = topLayers.Max();
        progress?.Report($"top-{options.TopK} layers by condition number: {string.Join(", ", topLayers)}; pruning {options.Module} of layer {layer}");

        var (curve, bestRate, racing) = options.Racing is { } race
            ? RaceRates(options, layer, race, subsets ?? throw new InvalidOperationException("racing needs an evaluator of item subsets (SubsetScoring)."),
                progress, cancellation)
            : ScoreEveryRate(options, layer, evaluate, progress, cancellation);

        cancellation.ThrowIfCancellationRequested();
        var testBaseline = evaluate([], SplitRole.Test);
        PruneSpec? best = bestRate == 0m ? null : Spec(options.Module, layer, bestRate);
        var testPruned = best is null ? testBaseline : evaluate([best], SplitRole.Test);
        var test = new TestComparison(best?.ToString(), testBaseline.Accuracy, testPruned.Accuracy,
            SeedPairing.PerSeed(testBaseline, testPruned),
            Evaluation.Comparison.AccuracyComparison.Compare(testBaseline, testPruned, "unpruned", "pruned"));

        return new SearchResult(options.Module, options.TopK, options.Reduce.ToString().ToLowerInvariant(), summaries,
            topLayers, layer, curve, bestRate, best?.ToString(), test, racing);
    }

    /// <summary>The paper's step 3: every rate on the whole validation split, kept only on strict improvement.</summary>
    static (List<CurvePoint>, decimal, RacingSummary?) ScoreEveryRate(SearchOptions options, int layer, PrunedEvaluator evaluate,
        IProgress<string>? progress, CancellationToken cancellation)
    {
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
        return (curve, bestRate, null);
    }

    /// <summary>
    /// Step 3 by racing (<see cref="RateRace"/>): the unpruned model and every rate race on growing validation subsets;
    /// the survivors end up scored on every item and the strict-improvement rule runs over them in grid order, so the
    /// pick is Algorithm 1's whenever its pick survives. A dropped rate is never "improved".
    /// </summary>
    static (List<CurvePoint>, decimal, RacingSummary?) RaceRates(SearchOptions options, int layer, RacingOptions racing,
        SubsetScoring subsets, IProgress<string>? progress, CancellationToken cancellation)
    {
        var racers = options.Grid.Where(r => r != 0m).Distinct().Select(r => new Racer(r, [Spec(options.Module, layer, r)]))
            .Prepend(new Racer(0m, [])).ToList();
        var race = RateRace.Run(racers, subsets.ValidationItems, subsets.Evaluate, racing, progress, cancellation);
        var byRate = race.Racers.ToDictionary(r => r.Racer.Rate);
        var unpruned = byRate[0m];
        int bestCorrect = unpruned.DroppedAt is null ? unpruned.Scores.Correct.Sum() : -1;
        decimal bestRate = 0m;
        var curve = new List<CurvePoint>();
        foreach (decimal rate in options.Grid)
        {
            var scores = byRate[rate];
            int correct = scores.Scores.Correct.Sum();
            bool improved = scores.DroppedAt is null && correct > bestCorrect;
            if (improved)
            {
                bestCorrect = correct;
                bestRate = rate;
            }
            curve.Add(new CurvePoint(rate, Spec(options.Module, layer, rate).ToString(), scores.Scores.Accuracy, correct,
                scores.Scores.Items * scores.Scores.Seeds, improved));
        }
        return (curve, bestRate, RacingSummary.Of(racing, subsets.ValidationItems, race));
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
