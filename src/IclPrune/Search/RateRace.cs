using IclPrune.Evaluation;
using IclPrune.Evaluation.Comparison;
using IclPrune.Pruning;

namespace IclPrune.Search;

/// <summary>One candidate of a race: a clipping rate and the specs that prune at it (none for the unpruned model).</summary>
public sealed record Racer(decimal Rate, IReadOnlyList<PruneSpec> Specs);

/// <summary>
/// Racing (Maron and Moore 1994, "Hoeffding races"; Birattari et al. 2002, "F-race"), applied to Algorithm 1's rate
/// search: every surviving rate is scored on the next slice of a seeded item order, the slices doubling up to the
/// whole validation split (<see cref="RacingOptions.StageSizes"/>). After each stage but the last, every pair of
/// survivors is compared with the exact item-clustered sign-flip test over the items seen (paired, the same seeds:
/// the test the snapshot gate uses), and Holm's correction is applied over ALL pairs at alpha / (stages - 1). A rate
/// is dropped when its pair with the current best is rejected. Why all pairs and not only "each rate vs the best":
/// the best is chosen by looking at the same data, so its comparisons are the most extreme of the family, and a
/// correction over only those K - 1 comparisons would not account for that selection; Holm over every pair does (the
/// calibration test in RateRaceTests races identical rates). Survivors are scored on every item, and xi* is picked
/// among them exactly as Algorithm 1 picks: the first rate, in racer order, with the most correct answers.
/// </summary>
public static class RateRace
{
    public static RaceOutcome Run(IReadOnlyList<Racer> racers, int items, PrunedSubsetEvaluator evaluate, RacingOptions options,
        IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        if (racers.Count == 0) throw new ArgumentException("a race needs at least one rate", nameof(racers));
        var order = options.ItemOrder(items);
        var sizes = options.StageSizes(items);
        var tallies = racers.Select(r => new RacerTally(r)).ToList();
        var stages = new List<RaceStage>();
        var drops = new List<RaceDrop>();
        long itemForwards = 0;
        int seen = 0;
        for (int stage = 1; stage <= sizes.Count; stage++)
        {
            var slice = order.Skip(seen).Take(sizes[stage - 1] - seen).ToList();
            seen = sizes[stage - 1];
            var alive = tallies.Where(t => t.DroppedAt is null).ToList();
            foreach (var tally in alive)
            {
                cancellation.ThrowIfCancellationRequested();
                var result = evaluate(tally.Racer.Specs, SplitRole.Validation, slice);
                tally.Add(result, slice);
                itemForwards += (long)slice.Count * result.PerSeed.Count;
            }
            var best = Best(alive);
            var dropped = stage < sizes.Count ? Drop(alive, best, stage, options.AlphaPerLook) : [];
            drops.AddRange(dropped);
            stages.Add(new RaceStage(stage, seen, alive.Select(t => t.Racer.Rate).ToList(), best.Racer.Rate, best.Scores.Accuracy,
                dropped.Select(d => d.Rate).ToList()));
            progress?.Report($"racing stage {stage}/{sizes.Count}: {alive.Count} rate(s) on {seen} of {items} items, best {best.Racer.Rate} " +
                $"({best.Scores.Accuracy:F4})" + (dropped.Count > 0 ? $", dropped {string.Join(", ", dropped.Select(d => d.Rate))}" : ""));
        }
        int seeds = tallies[0].Seeds;
        return new RaceOutcome(tallies.Select(t => new RacerScores(t.Racer, t.Scores, t.DroppedAt)).ToList(),
            Best(tallies.Where(t => t.DroppedAt is null).ToList()).Racer.Rate, stages, drops, itemForwards,
            (long)racers.Count * items * seeds);
    }

    /// <summary>Algorithm 1's rule: the first racer (in order) with the most correct answers.</summary>
    static RacerTally Best(IReadOnlyList<RacerTally> alive)
    {
        var best = alive[0];
        foreach (var t in alive.Skip(1))
            if (t.TotalCorrect > best.TotalCorrect) best = t;
        return best;
    }

    static List<RaceDrop> Drop(List<RacerTally> alive, RacerTally best, int stage, double alpha)
    {
        var pairs = new List<(int A, int B)>();
        var p = new List<double>();
        for (int a = 0; a < alive.Count; a++)
            for (int b = a + 1; b < alive.Count; b++)
            {
                pairs.Add((a, b));
                p.Add(ClusteredSignFlipTest.Run(alive[a].Scores, alive[b].Scores).TwoSided);
            }
        var adjusted = HolmCorrection.Adjusted(p);
        var drops = new List<RaceDrop>();
        int bestIndex = alive.IndexOf(best);
        for (int k = 0; k < pairs.Count; k++)
        {
            var (a, b) = pairs[k];
            if (a != bestIndex && b != bestIndex) continue;
            var other = alive[a == bestIndex ? b : a];
            if (adjusted[k] > alpha || other.TotalCorrect >= best.TotalCorrect) continue;
            other.DroppedAt = stage;
            drops.Add(new RaceDrop(other.Racer.Rate, stage, other.Scores.Items, other.Scores.Accuracy, best.Racer.Rate,
                best.Scores.Accuracy, adjusted[k]));
        }
        return drops.OrderBy(d => alive.FindIndex(t => t.Racer.Rate == d.Rate)).ToList();
    }

    /// <summary>One racer's item outcomes so far, per seed, in the order the slices were scored.</summary>
    sealed class RacerTally(Racer racer)
    {
        readonly List<string> _keys = [];
        List<bool>[] _perSeed = [];
        int[] _seedIds = [];

        public Racer Racer { get; } = racer;
        public int? DroppedAt { get; set; }
        public int Seeds => _seedIds.Length;
        public ItemScores Scores { get; private set; } = new([], [], 1);
        public int TotalCorrect => Scores.Correct.Sum();

        public void Add(EvaluationResult result, IReadOnlyList<int> positions)
        {
            if (result.PerSeed.Count == 0 || result.PerSeed.Any(s => s.ItemCorrect.Count != positions.Count))
                throw new InvalidOperationException(
                    $"rate {Racer.Rate}: the evaluator returned {result.PerSeed.Count} seed(s) with {string.Join("/", result.PerSeed.Select(s => s.ItemCorrect.Count))} items for {positions.Count} requested items.");
            var ids = result.PerSeed.Select(s => s.Seed).ToArray();
            if (_seedIds.Length == 0)
            {
                _seedIds = ids;
                _perSeed = ids.Select(_ => new List<bool>()).ToArray();
            }
            else if (!ids.SequenceEqual(_seedIds))
                throw new InvalidOperationException($"rate {Racer.Rate}: seeds {string.Join(",", ids)} differ from the earlier slices' {string.Join(",", _seedIds)}.");
            for (int j = 0; j < positions.Count; j++) _keys.Add(result.ItemKeys?[j] ?? $"#{positions[j]}");
            for (int s = 0; s < ids.Length; s++) _perSeed[s].AddRange(result.PerSeed[s].ItemCorrect);
            Scores = ItemScores.Of(_keys, _perSeed, $"rate {Racer.Rate}", seedIds: _seedIds);
        }
    }
}

/// <summary>What a race measured: each racer's outcomes on the items it saw, the pick, the stages and the cost.</summary>
public sealed record RaceOutcome(IReadOnlyList<RacerScores> Racers, decimal BestRate, IReadOnlyList<RaceStage> Stages,
    IReadOnlyList<RaceDrop> Drops, long ItemForwards, long FullItemForwards);

/// <summary>A racer's item scores over the items it was scored on; DroppedAt: the stage after which it stopped, null if it survived.</summary>
public sealed record RacerScores(Racer Racer, ItemScores Scores, int? DroppedAt);

/// <summary>One stage: items seen by its end, the rates scored on its slice, the best so far and the rates it dropped.</summary>
public sealed record RaceStage(int Stage, int Items, IReadOnlyList<decimal> Scored, decimal BestRate, double BestAccuracy,
    IReadOnlyList<decimal> Dropped);

/// <summary>A dropped rate: its accuracy and the best's on the items seen, and the Holm-adjusted two-sided p of their pair.</summary>
public sealed record RaceDrop(decimal Rate, int Stage, int Items, double Accuracy, decimal BestRate, double BestAccuracy, double HolmP);
