namespace IclPrune.Evaluation.Comparison;

/// <summary>How a comparison got its p-values and interval.</summary>
public enum ComparisonMethod
{
    /// <summary>Same seeds on both sides: exact item-clustered sign-flip test, item-clustered t interval.</summary>
    ItemSignFlip,
    /// <summary>Different seeds, at least two on each side: Welch's t over the per-seed accuracies.</summary>
    SeedWelch,
    /// <summary>Different seeds with a single seed on a side: the seed-to-seed spread is unknown, so nothing is tested (p = NaN).</summary>
    NotTestable,
}

/// <summary>
/// The one paired comparison of the product: a candidate against a baseline over the same items (joined by key), each
/// item's correctness averaged over its seeds. Used by the snapshot gate, Algorithm 1 and sweeps.
/// With the same seeds on both sides the demonstrations are shared, so the comparison is conditional on them and the
/// item is the unit: <see cref="ClusteredSignFlipTest"/> and <see cref="ClusteredDifferenceInterval"/>. With different
/// seeds the demonstration set is a random factor that moves all items at once, so the seed is the unit:
/// <see cref="SeedWelchTest"/>. Difference = candidate - baseline accuracy in both cases; p-values are one-sided.
/// </summary>
public sealed record AccuracyComparison(
    int Items, int BaselineSeeds, int CandidateSeeds,
    double BaselineAccuracy, double CandidateAccuracy, double Difference, Interval Ci95,
    double PDrop, double PImprovement, bool ExactP, IReadOnlyList<FlippedItem> Flipped,
    ComparisonMethod Method = ComparisonMethod.ItemSignFlip)
{
    public double PTwoSided => Math.Min(1.0, 2.0 * Math.Min(PDrop, PImprovement));

    /// <summary>Pairs the two sides by item key. Throws <see cref="ItemsDifferException"/> when they scored different items.</summary>
    public static AccuracyComparison Compare(ItemScores baseline, ItemScores candidate,
        string baselineLabel = "baseline", string candidateLabel = "candidate")
    {
        var aligned = Align(baseline, candidate, baselineLabel, candidateLabel);
        var differences = new double[baseline.Items];
        var flipped = new List<FlippedItem>();
        for (int i = 0; i < baseline.Items; i++)
        {
            double b = baseline.MeanOf(i), c = aligned.MeanOf(i);
            differences[i] = c - b;
            if (b != c) flipped.Add(new FlippedItem(baseline.Keys[i], b, c, aligned.Previews?[i] ?? baseline.Previews?[i]));
        }
        double difference = aligned.Accuracy - baseline.Accuracy;
        if (baseline.SameSeedsAs(candidate) || (baseline.SeedIds is null && candidate.SeedIds is null))
        {
            var test = ClusteredSignFlipTest.Run(baseline, aligned);
            return new AccuracyComparison(baseline.Items, baseline.Seeds, candidate.Seeds, baseline.Accuracy, aligned.Accuracy,
                difference, ClusteredDifferenceInterval.Compute(differences), test.PDrop, test.PImprovement, test.Exact, flipped);
        }
        var welch = SeedWelchTest.Run(baseline.SeedAccuracies!, candidate.SeedAccuracies!);
        return welch is null
            ? new AccuracyComparison(baseline.Items, baseline.Seeds, candidate.Seeds, baseline.Accuracy, aligned.Accuracy,
                difference, new Interval(-1, 1), double.NaN, double.NaN, false, flipped, ComparisonMethod.NotTestable)
            : new AccuracyComparison(baseline.Items, baseline.Seeds, candidate.Seeds, baseline.Accuracy, aligned.Accuracy,
                difference, welch.Ci95, welch.PDrop, welch.PImprovement, false, flipped, ComparisonMethod.SeedWelch);
    }

    /// <summary>Two results; when either lacks item keys (a journal line written before they existed) items pair by position.</summary>
    public static AccuracyComparison Compare(EvaluationResult baseline, EvaluationResult candidate,
        string baselineLabel = "baseline", string candidateLabel = "candidate")
    {
        bool keyed = baseline.ItemKeys is not null && candidate.ItemKeys is not null;
        return Compare(ItemScores.Of(keyed ? baseline : baseline with { ItemKeys = null }, baselineLabel),
            ItemScores.Of(keyed ? candidate : candidate with { ItemKeys = null }, candidateLabel), baselineLabel, candidateLabel);
    }

    /// <summary>The candidate's items reordered to the baseline's key order.</summary>
    static ItemScores Align(ItemScores baseline, ItemScores candidate, string baselineLabel, string candidateLabel)
    {
        if (baseline.Keys.SequenceEqual(candidate.Keys)) return candidate;
        var position = new Dictionary<string, int>(candidate.Items);
        for (int i = 0; i < candidate.Items; i++) position[candidate.Keys[i]] = i;
        var missing = baseline.Keys.Where(k => !position.ContainsKey(k)).ToArray();
        var extra = candidate.Keys.Except(baseline.Keys).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
            throw new ItemsDifferException(baselineLabel, candidateLabel, missing, extra);
        var order = baseline.Keys.Select(k => position[k]).ToArray();
        return candidate with
        {
            Keys = baseline.Keys,
            Correct = order.Select(i => candidate.Correct[i]).ToArray(),
            Previews = candidate.Previews is null ? null : order.Select(i => candidate.Previews[i]).ToArray(),
        };
    }
}

/// <summary>An item whose seed-averaged correctness changed: 1 -> 0 is "right on every seed, now wrong on every seed".</summary>
public sealed record FlippedItem(string Key, double Baseline, double Candidate, string? Preview);

/// <summary>The two sides scored different items, so a paired comparison is impossible.</summary>
public sealed class ItemsDifferException(string baselineLabel, string candidateLabel, IReadOnlyList<string> missing,
    IReadOnlyList<string> extra)
    : IclPruneException($"Cannot pair {candidateLabel} with {baselineLabel}: {missing.Count} item(s) of {baselineLabel} are not in {candidateLabel}" +
                        $"{Sample(missing)}, {extra.Count} item(s) of {candidateLabel} are not in {baselineLabel}{Sample(extra)}.")
{
    static string Sample(IReadOnlyList<string> keys) =>
        keys.Count == 0 ? "" : " (" + string.Join(", ", keys.Take(3)) + (keys.Count > 3 ? ", ..." : "") + ")";
}
