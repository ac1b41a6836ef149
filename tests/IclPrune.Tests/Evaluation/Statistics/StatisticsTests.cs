using IclPrune.Evaluation;
using IclPrune.Evaluation.Statistics;

namespace IclPrune.Tests.Evaluation.Statistics;

public class StatisticsTests
{
    // Reference values: the closed form (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n) evaluated by hand
    // in float64 (Python); 0/10 and 10/10 also match the textbook bound z^2/(n+z^2) = 0.277533. Tolerance 1e-6.
    [TestCase(32, 55, 0.450331, 0.702622)]
    [TestCase(157, 276, 0.509864, 0.625927)]
    [TestCase(0, 10, 0.0, 0.277533)]
    [TestCase(10, 10, 0.722467, 1.0)]
    [TestCase(1, 1, 0.206549, 1.0)]
    public void Wilson_KnownCounts_MatchHandComputedBounds(int k, int n, double low, double high)
    {
        var ci = WilsonInterval.Compute(k, n);
        Assert.That(ci.Low, Is.EqualTo(low).Within(1e-6));
        Assert.That(ci.High, Is.EqualTo(high).Within(1e-6));
    }

    [Test]
    public void Wilson_NoItems_IsTheWholeRange()
    {
        Assert.That(WilsonInterval.Compute(0, 0), Is.EqualTo(new Interval(0, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Compute(3, 2));
    }

    [Test]
    public void MeanAndStd_ThreeSeeds_SampleStandardDeviation()
    {
        // mean 0.75; squared deviations 0.0625, 0, 0.0625 -> sum 0.125 / (3 - 1) = 0.0625 -> std 0.25.
        var (mean, std) = SeedAggregate.MeanAndStd([0.5, 0.75, 1.0]);
        Assert.That(mean, Is.EqualTo(0.75).Within(1e-12));
        Assert.That(std, Is.EqualTo(0.25).Within(1e-12));
        Assert.That(SeedAggregate.MeanAndStd([0.6]), Is.EqualTo((0.6, 0.0)));
    }

    [Test]
    public void Seed_CountsCorrectItemsAndDividesByN()
    {
        // The reference code divides by N - 1 for RTE, CB, MRPC; we divide by N (docs/method.md section 3).
        var result = SeedAggregate.Seed(4, [true, false, true, true]);
        Assert.That(result.N, Is.EqualTo(4));
        Assert.That(result.Correct, Is.EqualTo(3));
        Assert.That(result.Accuracy, Is.EqualTo(0.75));
        Assert.That(result.Ci95, Is.EqualTo(WilsonInterval.Compute(3, 4)));
    }
}
