using IclPrune.Evaluation.Statistics;

namespace IclPrune.Tests.Evaluation.Statistics;

public class PairedDifferenceIntervalTests
{
    [Test]
    public void Compute_IdenticalPerfectRuns_IsSymmetricWilsonHalfWidth()
    {
        // Hand computation: both runs 10/10, phi = 0 (empty margin). Wilson lower bound for 10/10 is
        // n / (n + z^2) = 10 / 13.8414587 = 0.7224672; so delta = epsilon = 1 - 0.7224672.
        var interval = PairedDifferenceInterval.Compute(new PairedCounts(10, 0, 0, 0));
        Assert.That(interval.Low, Is.EqualTo(-0.27753279986288926).Within(1e-12));
        Assert.That(interval.High, Is.EqualTo(0.27753279986288926).Within(1e-12));
    }

    // Reference: an independent float64 implementation of Newcombe (1998) method 10 in python; tolerance 1e-12.
    // (1, 7, 1, 12) is the airway hyper-responsiveness example of Fagerland, Lydersen and Laake (2014).
    [TestCase(1, 7, 1, 12, -0.5016625403015134, -0.036052553488836514)]
    [TestCase(30, 9, 2, 15, -0.23168594981448581, -0.01337193874463359)]
    public void Compute_PublishedAndMixedTables_MatchReference(long both, long baselineOnly, long candidateOnly,
        long neither, double low, double high)
    {
        var interval = PairedDifferenceInterval.Compute(new PairedCounts(both, baselineOnly, candidateOnly, neither));
        Assert.That(interval.Low, Is.EqualTo(low).Within(1e-12));
        Assert.That(interval.High, Is.EqualTo(high).Within(1e-12));
    }

    [Test]
    public void Compute_AnyTable_ContainsPointEstimateAndStaysInRange()
    {
        var random = new Random(7);
        for (int i = 0; i < 500; i++)
        {
            var t = new PairedCounts(random.Next(0, 50), random.Next(0, 20), random.Next(0, 20), random.Next(0, 50));
            if (t.N == 0) continue;
            var interval = PairedDifferenceInterval.Compute(t);
            Assert.That(interval.Low, Is.LessThanOrEqualTo(t.Difference + 1e-12).And.GreaterThanOrEqualTo(-1), $"{t}");
            Assert.That(interval.High, Is.GreaterThanOrEqualTo(t.Difference - 1e-12).And.LessThanOrEqualTo(1), $"{t}");
        }
    }

    [Test]
    public void Compute_EmptyTable_Throws()
    {
        Assert.Throws<ArgumentException>(() => PairedDifferenceInterval.Compute(new PairedCounts(0, 0, 0, 0)));
    }

    [Test]
    public void WilsonInterval_HalfSuccesses_MatchesHandComputation()
    {
        // 5/10: centre 0.5, half width z sqrt(0.025 + z^2/400) / (1 + z^2/10) = 0.2634; reference python float64.
        var interval = WilsonInterval.Compute(5, 10);
        Assert.That(interval.Low, Is.EqualTo(0.5 - interval.High + 0.5).Within(1e-12));
        Assert.That(interval.High, Is.EqualTo(0.7634).Within(1e-4));
    }
}
