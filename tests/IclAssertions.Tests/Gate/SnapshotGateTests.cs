using IclAssertions.Gate;
using IclAssertions.Snapshots;
using IclAssertions.Tests.Support;

namespace IclAssertions.Tests.Gate;

public class SnapshotGateTests
{
    static readonly bool[] Items = Evaluations.Items(56, 40, 9); // CB-sized: 56 items

    static SnapshotDocument Doc(bool[] items, string task = "task-fp-1", string device = "cpu", string dtype = "float32",
        IReadOnlyList<string>? prune = null, string model = "model-fp-1", int shots = 8) =>
        SnapshotDocument.From(Evaluations.From([items], task, device, dtype, model, prune, shots: shots));

    [Test]
    public void Decide_AllDiscordantOneWayFive_IsNoiseAtAlpha005()
    {
        // b = 5, c = 0 on one seed: one-sided exact p = 2^-5 = 0.03125 < 0.05 is a drop; two-sided it would be 0.0625.
        var verdict = SnapshotGate.Decide(Doc(Items), Doc(Evaluations.Flip(Items, 5, 0)));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.SignificantDrop));
        Assert.That(verdict.Paired!.PDrop, Is.EqualTo(1.0 / 32).Within(1e-15));
    }

    [Test]
    public void Decide_FourLostOneWay_IsNoiseAtAlpha005()
    {
        // b = 4, c = 0: one-sided p = 1/16 = 0.0625 >= 0.05.
        var verdict = SnapshotGate.Decide(Doc(Items), Doc(Evaluations.Flip(Items, 4, 0)));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.WithinNoise));
        Assert.That(verdict.Summary, Does.Contain("p = 0.0625 >= alpha 0.05"));
    }

    [Test]
    public void Decide_PruneSpecsChanged_ComparesAcrossAndNamesTheChange()
    {
        var verdict = SnapshotGate.Decide(Doc(Items, prune: ["mlp@-1:0.9"]), Doc(Evaluations.Flip(Items, 12, 0), prune: ["attn@-1:0.9"]));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.SignificantDrop));
        Assert.That(verdict.Summary, Does.Contain("a prune-spec change ([mlp@-1:0.9] -> [attn@-1:0.9])"));
    }

    [Test]
    public void Decide_ModelChangedWithoutDrop_PassesNamingTheFingerprints()
    {
        var verdict = SnapshotGate.Decide(Doc(Items, model: "aaaaaaaaaaaaaaaa11"), Doc(Items, model: "bbbbbbbbbbbbbbbb22"));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.Identical));
        Assert.That(verdict.Summary, Does.Contain("a model change (tiny (fingerprint aaaaaaaaaaaa..) -> tiny (fingerprint bbbbbbbbbbbb..))"));
    }

    [Test]
    public void Decide_RequireSameModel_ModelChanged_Fails()
    {
        var verdict = SnapshotGate.Decide(Doc(Items, model: "a1"), Doc(Items, model: "b2"), new GateOptions(RequireSameModel: true));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.RequiredInputChanged));
        Assert.That(verdict.Outcome.IsFailure(), Is.True);
        Assert.That(verdict.Summary, Does.Contain("requires the same model"));
    }

    [Test]
    public void Decide_ShotsChanged_IsStaleWithUnpairedComparison()
    {
        var verdict = SnapshotGate.Decide(Doc(Items), Doc(Evaluations.Flip(Items, 20, 0), shots: 4));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.StaleSnapshot));
        Assert.That(verdict.Outcome.IsFailure(), Is.True);
        Assert.That(verdict.Paired, Is.Null);
        Assert.That(verdict.Unpaired!.Difference, Is.EqualTo(-20.0 / 56).Within(1e-12));
        Assert.That(verdict.ShowsDrop, Is.True, "a stale snapshot that also dropped must not be approved silently");
        Assert.That(verdict.ToString(), Does.Contain("shots: 8 -> 4").And.Contain("re-approve").And.Contain("Unpaired comparison"));
    }

    [Test]
    public void Decide_DifferentItemKeys_IsStaleNamingTheItems()
    {
        var approved = Doc(Items);
        var received = approved with { Items = approved.Items!.Select((item, i) => i == 3 ? item with { Key = "test:3:changed" } : item).ToArray() };
        var verdict = SnapshotGate.Decide(approved, received);
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.StaleSnapshot));
        Assert.That(verdict.ToString(), Does.Contain("1 no longer scored: " + Evaluations.Key(3)).And.Contain("1 new: test:3:changed"));
    }

    [Test]
    public void Decide_DisjointSeedSets_PairsByItem()
    {
        var approved = SnapshotDocument.From(Evaluations.From([Items, Items, Items], "task-fp-1", seedIds: [0, 1, 2]));
        var received = SnapshotDocument.From(Evaluations.From([Items, Items, Items], "task-fp-1", seedIds: [3, 4, 5]));
        var verdict = SnapshotGate.Decide(approved, received);
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.Identical));
        Assert.That(verdict.Changes.Select(c => c.ToString()), Is.EqualTo(new[] { "seeds: [0, 1, 2] -> [3, 4, 5]" }));
    }

    [Test]
    public void Decide_DtypeAndDeviceChanged_Compared()
    {
        var verdict = SnapshotGate.Decide(Doc(Items), Doc(Items, device: "cuda:0", dtype: "bf16"));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.Identical));
        Assert.That(verdict.Changes.Select(c => c.Field), Is.EqualTo(new[] { "device", "dtype" }));
    }

    [Test]
    public void Decide_OtherCudaIndex_IsNoChange()
    {
        var verdict = SnapshotGate.Decide(Doc(Items, device: "cuda:0"), Doc(Items, device: "cuda:1"));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.Identical));
        Assert.That(verdict.Changes, Is.Empty);
    }

    [Test]
    public void Decide_SchemaOneApproved_PairsByPosition()
    {
        var v1 = Doc(Items) with { SchemaVersion = 1, Items = null, ToolVersion = null, BatchSize = 0 };
        var verdict = SnapshotGate.Decide(v1, Doc(Evaluations.Flip(Items, 1, 0)));
        Assert.That(verdict.Outcome, Is.EqualTo(GateOutcome.WithinNoise));
        Assert.That(verdict.Paired!.Flipped.Single().Key, Does.StartWith("#"));
    }

    [Test]
    public void Decide_MinRecovery_FailsBelowTheFraction()
    {
        // 40/56 -> 37/56 is 92.5% of the approved accuracy; p(drop) = 1/8 is not significant.
        var received = Doc(Evaluations.Flip(Items, 3, 0));
        Assert.That(SnapshotGate.Decide(Doc(Items), received, new GateOptions(MinRecovery: 0.95)).Outcome, Is.EqualTo(GateOutcome.BelowMinRecovery));
        Assert.That(SnapshotGate.Decide(Doc(Items), received, new GateOptions(MinRecovery: 0.9)).Outcome, Is.EqualTo(GateOutcome.WithinNoise));
    }

    [Test]
    public void Classify_DropExactlyAtTolerance_Passes()
    {
        var verdict = SnapshotGate.Decide(Doc(Items), Doc(Evaluations.Flip(Items, 2, 0)));
        Assert.That(SnapshotGate.Classify(verdict.Paired!, new GateOptions(MaxDrop: 2.0 / 56)), Is.EqualTo(GateOutcome.WithinNoise));
        Assert.That(SnapshotGate.Classify(verdict.Paired!, new GateOptions(MaxDrop: 1.0 / 56)), Is.EqualTo(GateOutcome.DropBeyondTolerance));
    }

    [Test]
    public void GateOptions_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GateOptions(Alpha: 0).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GateOptions(MaxDrop: -0.1).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GateOptions(MinRecovery: 1.5).Validate());
    }
}
