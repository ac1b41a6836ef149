using IclPrune.Evaluation.Statistics;

namespace IclPrune.Tests.Evaluation.Statistics;

public class ExactMcNemarTests
{
    // Reference: exact sums of binomial coefficients with rational arithmetic (python fractions), e.g.
    // b=1, c=7: 2 (C(8,0) + C(8,1)) / 2^8 = 18/256. Tolerance: 1e-10 relative (the log-space sum loses ~6.5e-12
    // relative at n = 8200, see ExactMcNemar.LogBinomialHalfCdf).
    [TestCase(5, 0, 0.0625)]             // all discordant pairs one way: 2 / 2^5
    [TestCase(0, 5, 0.0625)]
    [TestCase(1, 7, 0.0703125)]
    [TestCase(10, 25, 0.01667384780012071)]
    [TestCase(120, 80, 0.0056851559967503055)]
    [TestCase(0, 30, 1.862645149230957e-09)]
    [TestCase(4000, 4200, 0.027972423571324383)]
    public void TwoSidedPValue_HandComputedTables_MatchExactValues(long b, long c, double expected)
    {
        Assert.That(ExactMcNemar.TwoSidedPValue(b, c), Is.EqualTo(expected).Within(expected * 1e-10));
    }

    [TestCase(0, 0)]
    [TestCase(3, 3)]
    [TestCase(2, 3)] // 2 (1 + 5 + 10) / 32 = 1.0 exactly
    [TestCase(500, 501)]
    public void TwoSidedPValue_BalancedOrEmpty_IsOne(long b, long c)
    {
        Assert.That(ExactMcNemar.TwoSidedPValue(b, c), Is.EqualTo(1.0));
    }

    [Test]
    public void TwoSidedPValue_MillionsOfItems_NeitherUnderflowsNorOverflows()
    {
        // 2 P(X <= 10^6) for n = 2*10^6 + 2000: z = -2000/sqrt(n)*2 ~ -1.414, p ~ 0.157 (normal approximation,
        // good to ~1e-3 at this n); the direct product 2^-n would underflow to 0.
        double p = ExactMcNemar.TwoSidedPValue(1_000_000, 1_002_000);
        Assert.That(p, Is.EqualTo(0.1573).Within(0.002));
        Assert.That(ExactMcNemar.TwoSidedPValue(0, 5000), Is.EqualTo(0.0)); // 2^-4999 underflows a double: 0 is right to 1e-300
    }

    [Test]
    public void TwoSidedPValue_NegativeCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactMcNemar.TwoSidedPValue(-1, 3));
    }

    [Test]
    public void TwoSidedPValue_FromPairedCounts_UsesOnlyDiscordantItems()
    {
        var baseline = new[] { true, true, true, true, true, true, false, false };
        var candidate = new[] { false, false, false, false, false, true, false, true };
        var counts = PairedCounts.From(baseline, candidate);
        Assert.That(counts, Is.EqualTo(new PairedCounts(Both: 1, BaselineOnly: 5, CandidateOnly: 1, Neither: 1)));
        Assert.That(ExactMcNemar.TwoSidedPValue(counts), Is.EqualTo(2.0 * 7 / 64).Within(1e-15)); // 2 (1 + 6) / 2^6
    }
}
