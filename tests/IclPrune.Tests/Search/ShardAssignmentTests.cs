using IclPrune.Search;

namespace IclPrune.Tests.Search;

public sealed class ShardAssignmentTests
{
    // The paper-sized grid of a 32-layer model: 32 layers x 2 targets x 8 rates.
    static readonly SweepGrid Paper = new(Enumerable.Range(0, 32).ToList(), ["attn", "mlp"], [0m, 0.1m, 0.5m, 0.75m, 0.9m, 0.95m, 0.99m, 0.995m]);

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(8)]
    [TestCase(700)]
    public void Of_AnyShardCount_EveryCellOwnedByExactlyOneShard(int count)
    {
        var assignment = ShardAssignment.Of(Paper, 32, count);
        var owned = Enumerable.Range(1, count).SelectMany(assignment.KeysOf).ToList();

        Assert.That(owned, Is.EquivalentTo(assignment.Keys));
        Assert.That(assignment.Keys, Has.Count.EqualTo(1 + 32 * 2 * 8));
        Assert.That(assignment.Keys[0], Is.EqualTo(SweepJournal.BaselineKey));
    }

    [Test]
    public void Of_SameInputs_SameAssignment()
    {
        var a = ShardAssignment.Of(Paper, 32, 5);
        var b = ShardAssignment.Of(Paper, 32, 5);
        Assert.That(a.Keys.Select(a.OwnerOf), Is.EqualTo(b.Keys.Select(b.OwnerOf)));
    }

    [Test]
    public void Of_RateZeroCells_OwnedWithTheUnprunedModel()
    {
        var assignment = ShardAssignment.Of(Paper, 32, 6);
        int owner = assignment.OwnerOf(SweepJournal.BaselineKey);
        var zero = Paper.Cells().Where(c => c.Rate == 0m).Select(c => assignment.OwnerOf(c.Key)).Distinct();
        Assert.That(zero, Is.EqualTo(new[] { owner }));
    }

    [Test]
    public void Of_EightShards_BalancedByCostWithLayersKeptTogether()
    {
        var assignment = ShardAssignment.Of(Paper, 32, 8);
        var loads = Enumerable.Range(1, 8).Select(assignment.LoadOf).ToList();

        // Cost model (class comment): a layer-l cell runs 32 - l layers, plus l once per layer and shard.
        double total = 32 + Enumerable.Range(0, 32).Sum(l => 14.0 * (32 - l) + l);
        Assert.That(loads.Sum(), Is.EqualTo(total).Within(1e-9));
        Assert.That(loads.Max() / loads.Min(), Is.LessThan(1.1), string.Join(", ", loads));
        // Deeper layers are cheaper, so equal costs are unequal cell counts (a split by count would be off by 3x).
        var cells = Enumerable.Range(1, 8).Select(s => assignment.KeysOf(s).Count).ToList();
        Assert.That((double)cells.Max() / cells.Min(), Is.GreaterThan(1.3), string.Join(", ", cells));
        // A shard prunes few distinct layers (each costs stored inputs and SVDs); rate-0 cells prune nothing.
        var pruned = Paper.Cells().Where(c => c.Rate != 0m).ToDictionary(c => c.Key, c => c.Layer);
        int layersPerShard = Enumerable.Range(1, 8)
            .Max(s => assignment.KeysOf(s).Where(pruned.ContainsKey).Select(k => pruned[k]).Distinct().Count());
        Assert.That(layersPerShard, Is.LessThanOrEqualTo(8));
    }

    [Test]
    public void Of_MoreShardsThanWork_ExtraShardsOwnNothing()
    {
        var tiny = new SweepGrid([0, 1], ["mlp"], [0m, 0.5m]);
        var assignment = ShardAssignment.Of(tiny, 2, 5);
        Assert.That(Enumerable.Range(1, 5).Sum(s => assignment.KeysOf(s).Count), Is.EqualTo(5));
        Assert.That(Enumerable.Range(1, 5).Count(s => assignment.KeysOf(s).Count == 0), Is.GreaterThan(0));
    }
}
