using IclPrune.Evaluation.Comparison;
using IclPrune.Evaluation.Statistics;

namespace IclPrune.Tests.Evaluation.Comparison;

public class ClusteredSignFlipTestTests
{
    static ItemScores Side(int seeds, params int[] correct) =>
        new(Enumerable.Range(0, correct.Length).Select(i => $"k{i}").ToArray(), correct, seeds);

    // One seed on each side: d_i in {-1, 0, 1}, so the test is McNemar's exact test. Reference: ExactMcNemar (itself
    // checked against rational arithmetic); one-sided p(drop) = P(Bin(b + c, 1/2) <= c). Tolerance 1e-12 relative.
    [TestCase(5, 0)]
    [TestCase(1, 7)]
    [TestCase(10, 25)]
    [TestCase(120, 80)]
    [TestCase(3, 3)]
    [TestCase(0, 0)]
    public void Run_OneSeedEachSide_EqualsExactMcNemar(int b, int c)
    {
        // b items only the baseline got right, c only the candidate, 20 both, 20 neither.
        int n = b + c + 40;
        var baseline = Enumerable.Range(0, n).Select(i => i < b || (i >= b + c && i < b + c + 20) ? 1 : 0).ToArray();
        var candidate = Enumerable.Range(0, n).Select(i => (i >= b && i < b + c) || (i >= b + c && i < b + c + 20) ? 1 : 0).ToArray();
        var result = ClusteredSignFlipTest.Run(Side(1, baseline), Side(1, candidate));

        double oneSided = b + c == 0 ? 1.0 : Math.Exp(ExactMcNemar.LogBinomialHalfCdf(b + c, c));
        Assert.That(result.PDrop, Is.EqualTo(Math.Min(1.0, oneSided)).Within(1e-12 * oneSided + 1e-300));
        Assert.That(result.TwoSided, Is.EqualTo(ExactMcNemar.TwoSidedPValue(b, c)).Within(1e-12));
        Assert.That(result.Exact, Is.True);
    }

    [Test]
    public void Run_SeveralSeeds_EqualsBruteForceEnumeration()
    {
        // Reference: all 2^m sign assignments enumerated directly (independent of the dynamic programme).
        var baseline = Side(3, 3, 2, 0, 1, 3, 2, 1, 0, 3, 2, 2, 1);
        var candidate = Side(2, 1, 2, 0, 2, 0, 1, 1, 0, 2, 0, 1, 2);
        var result = ClusteredSignFlipTest.Run(baseline, candidate);

        var d = Enumerable.Range(0, 12).Select(i => candidate.MeanOf(i) - baseline.MeanOf(i)).Where(x => x != 0).ToArray();
        double observed = d.Sum();
        int low = 0, high = 0, total = 1 << d.Length;
        for (int mask = 0; mask < total; mask++)
        {
            double sum = 0;
            for (int j = 0; j < d.Length; j++) sum += (mask >> j & 1) == 1 ? d[j] : -d[j];
            if (sum <= observed + 1e-9) low++;
            if (sum >= observed - 1e-9) high++;
        }
        Assert.That(result.PDrop, Is.EqualTo((double)low / total).Within(1e-12));
        Assert.That(result.PImprovement, Is.EqualTo((double)high / total).Within(1e-12));
    }

    [Test]
    public void Run_AboveExactLimit_MonteCarloMatchesNormalApproximation()
    {
        // 1,000 items with scaled differences up to 100,000: m x S far above the exact limit. With that many items the
        // sum of sign flips is normal to within ~0.003 (Berry-Esseen), so P(sum <= obs) ~ Phi(obs / sqrt(sum d^2)).
        // Tolerance 0.01: 5 Monte Carlo standard errors at 200,000 draws plus the normal approximation's error.
        var random = new Random(7);
        var d = Enumerable.Range(0, 1000).Select(_ => (long)random.Next(-100_000, 100_001)).ToArray();
        var result = ClusteredSignFlipTest.Run(d);
        double z = d.Sum() / Math.Sqrt(d.Sum(x => (double)x * x));
        Assert.That(result.Exact, Is.False);
        Assert.That(result.PDrop, Is.EqualTo(MathNet.Numerics.Distributions.Normal.CDF(0, 1, z)).Within(0.01));
    }

    [Test]
    public void Run_NoDifference_IsOne()
    {
        var result = ClusteredSignFlipTest.Run(Side(3, 1, 2, 3), Side(3, 1, 2, 3));
        Assert.That((result.PDrop, result.PImprovement), Is.EqualTo((1.0, 1.0)));
    }
}
