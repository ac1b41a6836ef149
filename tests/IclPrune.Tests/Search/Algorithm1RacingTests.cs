using System.Text.Json;
using IclPrune.Pruning;
using IclPrune.Search;

namespace IclPrune.Tests.Search;

/// <summary>
/// Algorithm 1 with <see cref="SearchOptions.Racing"/> against the same search without it, on one simulated table of
/// per-item outcomes (<see cref="SimulatedRates"/>, seed 5: the demo's rates on layer 1 with the tiny model's attention
/// curve, 128 items x 3 seeds): the same xi*, the same counts for every surviving rate, fewer item-forwards.
/// </summary>
public sealed class Algorithm1RacingTests
{
    static readonly decimal[] Grid = [0.1m, 0.5m, 0.75m, 0.9m, 0.95m, 0.99m];
    static readonly IReadOnlyList<LayerCondition> TwoLayers =
        Enumerable.Range(0, 2).Select(l => new LayerCondition(l, [new MatrixCondition($"h.{l}.fc_in", "fc_in", 10 - l)])).ToList();

    static SimulatedRates Simulated() => new(SimulatedRates.RacersAt([0m, .. Grid]),
        [0.78, 0.78, 0.77, 0.85, 0.28, 0.29, 0.25], 128, 3, new Random(5));

    [Test]
    public void Run_Racing_SamePickAndSurvivorCountsAsFullSearchWithFewerItemForwards()
    {
        var simulated = Simulated();
        var full = Algorithm1.Run(new SearchOptions("mlp", 2, Rates: Grid), TwoLayers, simulated.EvaluateAll);
        var raced = Algorithm1.Run(new SearchOptions("mlp", 2, Rates: Grid, Racing: new RacingOptions()), TwoLayers,
            simulated.EvaluateAll, subsets: new SubsetScoring(simulated.Items, simulated.Evaluate));

        Assert.That(raced.ChosenLayer, Is.EqualTo(1));
        Assert.That(raced.BestRate, Is.EqualTo(full.BestRate));
        Assert.That(raced.Test, Is.Not.Null);
        var racing = raced.Racing!;
        var dropped = racing.Dropped.Select(d => d.Rate).ToHashSet();
        Assert.That(dropped, Is.Not.Empty, "the three rates at chance are dropped early");
        for (int i = 0; i < Grid.Length; i++)
        {
            var (r, f) = (raced.ValidationCurve[i], full.ValidationCurve[i]);
            if (dropped.Contains(r.Rate))
                Assert.That((r.Improved, r.N < f.N), Is.EqualTo((false, true)), $"rate {r.Rate} was dropped");
            else
                Assert.That((r.Correct, r.N, r.Improved), Is.EqualTo((f.Correct, f.N, f.Improved)), $"rate {r.Rate} survived");
        }
        Assert.That(racing.FullSearchItemForwards, Is.EqualTo(7 * 128 * 3));
        Assert.That(racing.ItemForwards, Is.LessThan(racing.FullSearchItemForwards));
        Assert.That(racing.Saved, Is.EqualTo(1.0 - (double)racing.ItemForwards / racing.FullSearchItemForwards));
    }

    [Test]
    public void Json_Racing_OnlyWhenRacing()
    {
        var simulated = Simulated();
        var full = Algorithm1.Run(new SearchOptions("mlp", 2, Rates: Grid), TwoLayers, simulated.EvaluateAll);
        var raced = Algorithm1.Run(new SearchOptions("mlp", 2, Rates: Grid, Racing: new RacingOptions()), TwoLayers,
            simulated.EvaluateAll, subsets: new SubsetScoring(simulated.Items, simulated.Evaluate));

        using var fullJson = JsonDocument.Parse(JsonSerializer.Serialize(full, SearchJson.Options));
        using var racedJson = JsonDocument.Parse(JsonSerializer.Serialize(raced, SearchJson.Options));
        Assert.That(fullJson.RootElement.TryGetProperty("racing", out _), Is.False, "the default output is unchanged");
        var racing = racedJson.RootElement.GetProperty("racing");
        Assert.That(racing.GetProperty("item_forwards").GetInt64(), Is.EqualTo(raced.Racing!.ItemForwards));
        Assert.That(racing.GetProperty("saved").GetDouble(), Is.EqualTo(raced.Racing.Saved));
        Assert.That(racing.GetProperty("stage_log").GetArrayLength(), Is.EqualTo(4));
    }

    [Test]
    public void Run_RacingWithoutSubsetScoring_Throws() =>
        Assert.Throws<InvalidOperationException>(() => Algorithm1.Run(new SearchOptions("mlp", 2, Rates: Grid, Racing: new RacingOptions()),
            TwoLayers, Simulated().EvaluateAll));
}
