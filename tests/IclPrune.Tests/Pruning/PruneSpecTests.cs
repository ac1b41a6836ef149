using IclPrune.Pruning;

namespace IclPrune.Tests.Pruning;

public sealed class PruneSpecTests
{
    [Test]
    public void Parse_GroupSingleLayerRate_ReadsAllParts()
    {
        var spec = PruneSpec.Parse("mlp@26:0.95");
        Assert.That(spec.Targets.Single().Name, Is.EqualTo("mlp"));
        Assert.That(spec.Targets.Single().IsGroup, Is.True);
        Assert.That(spec.Layers.Resolve(28), Is.EqualTo(new[] { 26 }));
        Assert.That(spec.Amount.Rate, Is.EqualTo(0.95m));
        Assert.That(spec.ToString(), Is.EqualTo("mlp@26:0.95"));
    }

    [Test]
    public void Parse_TargetListNegativeLayerRank_ReadsAllParts()
    {
        var spec = PruneSpec.Parse("q,v@-2:rank=64");
        Assert.That(spec.Targets.SelectMany(t => t.Targets), Is.EqualTo(new[] { PruneTarget.Q, PruneTarget.V }));
        Assert.That(spec.Layers.Resolve(12), Is.EqualTo(new[] { 10 }));
        Assert.That(spec.Amount.Rank, Is.EqualTo(64));
    }

    [TestCase("0-3", 12, new[] { 0, 1, 2, 3 })]
    [TestCase("all", 3, new[] { 0, 1, 2 })]
    [TestCase("-1", 4, new[] { 3 })]
    [TestCase("-3--1", 4, new[] { 1, 2, 3 })]
    [TestCase("2--1", 4, new[] { 2, 3 })]
    public void LayerSelection_Forms_Resolve(string text, int layers, int[] expected) =>
        Assert.That(LayerSelection.Parse(text).Resolve(layers), Is.EqualTo(expected));

    [TestCase("12", 12)]
    [TestCase("-13", 12)]
    [TestCase("3-1", 12)]
    public void LayerSelection_OutOfRange_ThrowsNamingValidRange(string text, int layers)
    {
        var e = Assert.Throws<UsageException>(() => LayerSelection.Parse(text).Resolve(layers));
        Assert.That(e!.Message, Does.Contain(text));
    }

    [Test]
    public void LayerSelection_OutOfRange_ListsValidLayers()
    {
        var e = Assert.Throws<UsageException>(() => LayerSelection.Parse("40").Resolve(28));
        Assert.That(e!.Message, Does.Contain("0..27"));
    }

    [TestCase("mlp26:0.95")]
    [TestCase("mlp@26")]
    [TestCase("@26:0.9")]
    [TestCase("mlp@x:0.9")]
    public void Parse_Malformed_ThrowsUsageException(string text) =>
        Assert.Throws<UsageException>(() => PruneSpec.Parse(text));

    [Test]
    public void Parse_UnknownTarget_ListsValidTargetsAndGroups()
    {
        var e = Assert.Throws<UsageException>(() => PruneSpec.Parse("ffn@1:0.5"));
        Assert.That(e!.Message, Does.Contain("ffn").And.Contain("fc_in").And.Contain("attn, mlp, all"));
    }

    [Test]
    public void Parse_RateOutOfRange_Throws()
    {
        var e = Assert.Throws<UsageException>(() => PruneSpec.Parse("mlp@1:1.0"));
        Assert.That(e!.Message, Does.Contain("[0, 1)"));
    }
}
