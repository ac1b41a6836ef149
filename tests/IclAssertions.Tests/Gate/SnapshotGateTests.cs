using IclAssertions.Gate;
using IclAssertions.Snapshots;
using IclAssertions.Tests.Support;

namespace IclAssertions.Tests.Gate;

public class SnapshotGateTests
{
    static readonly bool[] Items = Evaluations.Items(56, 40, 9); // CB-sized: 56 items

    static SnapshotDocument Doc(bool[] items, string task = "task-fp-1", string device = "cpu", string dtype = "float32",
        IReadOnlyList<string>? prune = null) =>
        SnapshotDocument.From(Evaluations.From([items], task, device, dtype, pruneSpecs: prune));

    [Test]
    public void Decide_AllDiscordantOneWayFive_IsNoiseAtAlpha005()
    {
        // b = 5, c = 0: exact p = 0.0625 >= 0.05, the CB situation the paper's gains sit in.
        var verdict = SnapshotGate.Decide(Doc(Items), Doc(Evaluations.Flip(Items, 5, 0)));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.WithinNoise));
        Assert.That(verdict.Comparison!.PValue, Is.EqualTo(0.0625).Within(1e-15));
    }

    [Test]
    public void Decide_SameDropAtAlpha01_IsSignificant()
    {
        var verdict = SnapshotGate.Decide(Doc(Items), Doc(Evaluations.Flip(Items, 5, 0)), new GateOptions(Alpha: 0.1));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.SignificantDrop));
        Assert.That(verdict.Summary, Does.Contain("p = 0.0625 < alpha 0.1"));
    }

    [Test]
    public void Decide_PruneSpecsChanged_IsInputsChanged()
    {
        var verdict = SnapshotGate.Decide(Doc(Items, prune: ["mlp@-1:0.9"]), Doc(Items, prune: ["mlp@-1:0.95"]));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.InputsChanged));
        Assert.That(verdict.InputDifferences, Is.EqualTo(new[] { "pruneSpecs: approved [mlp@-1:0.9], received [mlp@-1:0.95]" }));
    }

    [Test]
    public void Decide_OtherCudaIndex_IsComparable()
    {
        var verdict = SnapshotGate.Decide(Doc(Items, device: "cuda:0"), Doc(Items, device: "cuda:1"));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.Identical));
    }

    [Test]
    public void Classify_DropExactlyAtTolerance_Passes()
    {
        var report = ComparisonReport.Compare([new SeedItems(0, Items)], [new SeedItems(0, Evaluations.Flip(Items, 2, 0))]);
        Assert.That(SnapshotGate.Classify(report, new GateOptions(MaxDrop: 2.0 / 56)), Is.EqualTo(GateOutcome.WithinNoise));
        Assert.That(SnapshotGate.Classify(report, new GateOptions(MaxDrop: 1.0 / 56)), Is.EqualTo(GateOutcome.DropBeyondTolerance));
    }

    [Test]
    public void Compare_DifferentSeeds_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ComparisonReport.Compare([new SeedItems(0, Items)], [new SeedItems(1, Items)]));
        Assert.That(e!.Message, Does.Contain("seeds [0]").And.Contain("[1]"));
    }

    [Test]
    public void GateOptions_AlphaOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GateOptions(Alpha: 0).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GateOptions(MaxDrop: -0.1).Validate());
    }
}
