using IclPrune.Evaluation.Comparison;

namespace IclPrune.Tests.Evaluation.Comparison;

public class AccuracyComparisonTests
{
    [Test]
    public void Compare_ShuffledKeys_PairsByKeyNotPosition()
    {
        var baseline = new ItemScores(["a", "b", "c", "d"], [1, 1, 0, 0], 1);
        var candidate = new ItemScores(["d", "c", "b", "a"], [0, 0, 1, 0], 1);
        var c = AccuracyComparison.Compare(baseline, candidate);
        Assert.That(c.Flipped.Select(f => (f.Key, f.Baseline, f.Candidate)), Is.EqualTo(new[] { ("a", 1.0, 0.0) }));
        Assert.That(c.Difference, Is.EqualTo(-0.25).Within(1e-15));
    }

    [Test]
    public void Compare_DifferentItems_ThrowsNamingThem()
    {
        var e = Assert.Throws<ItemsDifferException>(() =>
            AccuracyComparison.Compare(new ItemScores(["a", "b"], [1, 1], 1), new ItemScores(["a", "z"], [1, 1], 1), "approved", "received"));
        Assert.That(e!.Message, Does.Contain("1 item(s) of approved are not in received (b)").And.Contain("(z)"));
    }

    [Test]
    public void ItemScores_Accuracy_EqualsMeanOfPerSeedAccuracies()
    {
        var scores = ItemScores.Of(null, [new[] { true, true, false, false }, new[] { true, false, false, false }], "x");
        Assert.That(scores.Accuracy, Is.EqualTo((0.5 + 0.25) / 2).Within(1e-15));
        Assert.That(scores.Correct, Is.EqualTo(new[] { 2, 1, 0, 0 }));
    }

    [Test]
    public void ClusteredInterval_HandComputed_MatchesTQuantile()
    {
        // d = {1, 1, 0 x 7, -1}: mean 0.1, sd sqrt(2.89 / 9), t(0.975, 9) = 2.2621571627409915 (standard table).
        // mean +- t sd / sqrt(10) = [-0.3060696380333343, 0.5060696380333344] (python, float64). Tolerance 1e-9.
        var interval = ClusteredDifferenceInterval.Compute([1, 1, 0, 0, 0, 0, 0, 0, 0, -1]);
        Assert.That(interval.Low, Is.EqualTo(-0.3060696380333343).Within(1e-9));
        Assert.That(interval.High, Is.EqualTo(0.5060696380333344).Within(1e-9));
    }

    [Test]
    public void IndependentComparison_Difference_IsWelchOnItemMeans()
    {
        // Items 1,1,0,0 vs 1,0,0,0 (one seed): means 0.5 and 0.25, variances 1/3 and 1/4; se = sqrt(1/12 + 1/16).
        var u = IndependentComparison.Compare(new ItemScores(["a", "b", "c", "d"], [1, 1, 0, 0], 1), new ItemScores(["e", "f", "g", "h"], [1, 0, 0, 0], 1));
        double se = Math.Sqrt(1.0 / 12 + 1.0 / 16);
        Assert.That(u.Difference, Is.EqualTo(-0.25).Within(1e-15));
        Assert.That(u.PDrop, Is.EqualTo(MathNet.Numerics.Distributions.Normal.CDF(0, 1, -0.25 / se)).Within(1e-12));
    }
}
