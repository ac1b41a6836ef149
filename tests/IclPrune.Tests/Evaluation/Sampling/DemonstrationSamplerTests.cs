using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Sampling;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Tests.Evaluation.Sampling;

public class DemonstrationSamplerTests
{
    [Test]
    public void Sample_Balanced_IsInterleavedInClassOrderAndBalanced()
    {
        var task = TaskCatalog.Get("agnews");
        var pool = SplitPlannerTests.Items("train", 400, 4);
        var demos = DemonstrationSampler.Sample(task, pool, 8, seed: 0);
        Assert.That(demos.Select(d => d.Class), Is.EqualTo(new[] { 0, 1, 2, 3, 0, 1, 2, 3 }));
        Assert.That(demos.Distinct().Count(), Is.EqualTo(8));
    }

    [Test]
    public void Sample_BalancedWithRemainder_FirstClassesGetTheExtra()
    {
        // CB: 5 shots over Yes, Maybe, No -> 2, 2, 1, interleaved Yes Maybe No Yes Maybe (the reference code's order).
        var task = TaskCatalog.Get("cb");
        var demos = DemonstrationSampler.Sample(task, SplitPlannerTests.Items("train", 30, 3), 5, seed: 3);
        Assert.That(demos.Select(d => d.Class), Is.EqualTo(new[] { 0, 1, 2, 0, 1 }));
        Assert.That(DemonstrationSampler.BalancedCounts(3, 5), Is.EqualTo(new[] { 2, 2, 1 }));
    }

    [Test]
    public void Sample_SameSeed_SameDemonstrations_OtherSeeds_Differ()
    {
        var task = TaskCatalog.Get("sst2");
        var pool = SplitPlannerTests.Items("train", 1000, 2);
        var rows = new[] { 0, 0, 1, 2 }.Select(seed => DemonstrationSampler.Sample(task, pool, 10, seed).Select(d => d.Row).ToList()).ToList();
        Assert.That(rows[0], Is.EqualTo(rows[1]));
        Assert.That(rows[2], Is.Not.EqualTo(rows[0]));
        Assert.That(rows[3], Is.Not.EqualTo(rows[2]));
    }

    [Test]
    public void Sample_FixedSeed_IsStableAcrossRuns()
    {
        // Reference: an independent Python implementation of SplitMix64 + Fisher-Yates with rejection sampling
        // (docs/evaluation.md) gives rows 93, 63, 88, 85 for seed 0 and purpose "demonstrations". If this changes,
        // every recorded result's demonstrations change.
        var task = TaskCatalog.Get("sst2") with { Demonstrations = new DemonstrationSpec(DemonstrationPolicy.Random, 4) };
        var demos = DemonstrationSampler.Sample(task, SplitPlannerTests.Items("train", 100, 2), 4, seed: 0);
        Assert.That(demos.Select(d => d.Row), Is.EqualTo(FixedSeedRows));
    }

    internal static readonly int[] FixedSeedRows = [93, 63, 88, 85];

    [Test]
    public void SeededRandom_StateZero_MatchesPublishedSplitMix64()
    {
        // SplitMix64 from state 0 yields 0xE220A8397B1DCDAF first (Steele, Lea, Flood 2014 reference code).
        // Purpose "" mixes in the FNV-1a offset basis, so this seed gives state 0.
        var random = new SeededRandom(unchecked((long)0xCBF29CE484222325UL), "");
        Assert.That(random.NextUInt64(), Is.EqualTo(0xE220A8397B1DCDAFUL));
    }

    [Test]
    public void Sample_First_TakesThePoolInOrderWhateverTheSeed()
    {
        var task = TaskCatalog.Get("sst2") with { Demonstrations = new DemonstrationSpec(DemonstrationPolicy.First, 3) };
        var pool = SplitPlannerTests.Items("train", 10, 2);
        Assert.That(DemonstrationSampler.Sample(task, pool, 3, 7).Select(d => d.Row), Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public void Sample_PoolTooSmallForAClass_NamesTheClass()
    {
        var task = TaskCatalog.Get("sst2");
        var pool = SplitPlannerTests.Items("train", 20, 2).Where(e => e.Class == 0 || e.Row < 4).ToList();
        var e = Assert.Throws<IclPruneException>(() => DemonstrationSampler.Sample(task, pool, 10, 0))!;
        Assert.That(e.Message, Does.Contain("5 of class 'neg'").And.Contain("only 2"));
    }
}
