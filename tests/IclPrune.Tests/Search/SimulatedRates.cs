using IclPrune.Evaluation;
using IclPrune.Pruning;
using IclPrune.Search;

namespace IclPrune.Tests.Search;

/// <summary>
/// Per-item outcomes of candidate rates drawn from known accuracies, and the <see cref="PrunedSubsetEvaluator"/> that
/// slices them. Model: item i has a difficulty u_i ~ U(0, 1) shared by every rate and seed; each (rate, seed, item)
/// outcome reads u_i with probability <see cref="SharedDifficulty"/> and a fresh uniform otherwise, and is correct when
/// that value is below the rate's accuracy. Every outcome is then Bernoulli(accuracy), and two rates agree on an item
/// more often than independent draws would (easy items are easy for every rate), as real pruned models do.
/// </summary>
sealed class SimulatedRates
{
    public const double SharedDifficulty = 0.5;
    readonly Dictionary<string, bool[][]> _outcomes = new();   // spec text -> [seed][item]

    public SimulatedRates(IReadOnlyList<Racer> racers, IReadOnlyList<double> accuracies, int items, int seeds, Random random)
    {
        Racers = racers;
        Items = items;
        var difficulty = Enumerable.Range(0, items).Select(_ => random.NextDouble()).ToArray();
        for (int r = 0; r < racers.Count; r++)
        {
            var perSeed = new bool[seeds][];
            for (int s = 0; s < seeds; s++)
                perSeed[s] = Enumerable.Range(0, items)
                    .Select(i => (random.NextDouble() < SharedDifficulty ? difficulty[i] : random.NextDouble()) < accuracies[r])
                    .ToArray();
            _outcomes[Key(racers[r].Specs)] = perSeed;
        }
    }

    public IReadOnlyList<Racer> Racers { get; }
    public int Items { get; }

    /// <summary>Racers at the given rates, the unpruned model (rate 0, no spec) first, as Algorithm 1 orders them.</summary>
    public static IReadOnlyList<Racer> RacersAt(IReadOnlyList<decimal> rates) =>
        rates.Select(r => new Racer(r, r == 0m ? [] : [Algorithm1.Spec("mlp", 1, r)])).ToList();

    /// <summary>What the full search picks on the same outcomes: the first racer with the most correct answers.</summary>
    public decimal FullSearchPick()
    {
        var totals = Racers.Select(r => _outcomes[Key(r.Specs)].Sum(seed => seed.Count(c => c))).ToList();
        return Racers[totals.IndexOf(totals.Max())].Rate;
    }

    public EvaluationResult Evaluate(IReadOnlyList<PruneSpec> specs, SplitRole split, IReadOnlyList<int> positions)
    {
        Assert.That(split, Is.EqualTo(SplitRole.Validation), "racing scores the validation split only");
        return Score(specs, positions);
    }

    /// <summary>Every item, on either split (the simulated test split is the validation one: enough for Algorithm 1's last step).</summary>
    public EvaluationResult EvaluateAll(IReadOnlyList<PruneSpec> specs, SplitRole split) => Score(specs, Enumerable.Range(0, Items).ToList());

    EvaluationResult Score(IReadOnlyList<PruneSpec> specs, IReadOnlyList<int> positions)
    {
        var perSeed = _outcomes[Key(specs)].Select(seed => positions.Select(p => seed[p]).ToArray()).ToArray();
        return ConstructedResults.Of(specs.Select(s => s.ToString()).ToList(), "validation", perSeed)
            with { ItemKeys = positions.Select(p => $"item{p}").ToList() };
    }

    static string Key(IReadOnlyList<PruneSpec> specs) => string.Join(" ", specs);
}
