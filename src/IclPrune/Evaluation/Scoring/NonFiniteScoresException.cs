namespace IclPrune.Evaluation.Scoring;

/// <summary>
/// The model produced NaN or infinite log-probs: its weights or config are broken (a NaN weight, a negative
/// layer-norm epsilon, a checkpoint read with the wrong byte order). Every comparison with NaN is false, so such items
/// would silently count as wrong and the run would report an accuracy that measures nothing; the evaluation fails
/// instead (exit 1 in the CLI, an exception in the NUnit library).
/// </summary>
public sealed class NonFiniteScoresException(string task, int seed, int items, int total)
    : IclPruneException($"the model produced NaN/inf log-probs for {items} of {total} items (task {task}, seed {seed}); " +
                        "no accuracy is reported. Check the checkpoint's weights and config.json (a NaN weight, a negative " +
                        "norm epsilon, a wrong byte order).")
{
    public int Items { get; } = items;

    /// <summary>Throws when any item's class scores are not all finite.</summary>
    public static void ThrowIfAny(string task, int seed, IReadOnlyList<double[]> scores)
    {
        int bad = scores.Count(s => s.Any(x => !double.IsFinite(x)));
        if (bad > 0) throw new NonFiniteScoresException(task, seed, bad, scores.Count);
    }
}
