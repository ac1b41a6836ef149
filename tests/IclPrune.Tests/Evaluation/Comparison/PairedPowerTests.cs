using IclPrune.Evaluation.Comparison;

namespace IclPrune.Tests.Evaluation.Comparison;

public class PairedPowerTests
{
    // n items, `seeds` seeds each, item i right on Correct[i] of them; accuracy about `accuracy`.
    static ItemScores Baseline(int items, int seeds, double accuracy)
    {
        var correct = Enumerable.Range(0, items).Select(i => (int)Math.Round(seeds * accuracy + ((i % 3) - 1) * Math.Min(1, seeds * (1 - accuracy)))).ToArray();
        return new ItemScores(Enumerable.Range(0, items).Select(i => $"k{i}").ToArray(), correct.Select(c => Math.Clamp(c, 0, seeds)).ToArray(), seeds);
    }

    [Test]
    public void Simulate_NoShiftNoChurn_NeverRejects()
    {
        var estimate = PairedPower.Simulate(Baseline(50, 5, 0.7), shift: 0, churn: 0, draws: 50);

        Assert.That(estimate.Power, Is.EqualTo(0));
    }

    // Under the null (shift 0, symmetric churn) the rejection rate is the test's size: at most alpha plus three
    // binomial standard errors of the 400-draw estimate (0.05 + 3 sqrt(0.05 * 0.95 / 400) = 0.083).
    [Test]
    public void Simulate_NullWithChurn_RejectsAtMostAlpha()
    {
        var estimate = PairedPower.Simulate(Baseline(60, 10, 0.5), shift: 0, churn: 0.1, draws: 400);

        Assert.That(estimate.Power, Is.LessThanOrEqualTo(0.083));
    }

    [Test]
    public void Simulate_MoreItems_MorePower()
    {
        var small = PairedPower.Simulate(Baseline(20, 3, 0.7), shift: 0.05, churn: 0.05, draws: 200);
        var large = PairedPower.Simulate(Baseline(400, 3, 0.7), shift: 0.05, churn: 0.05, draws: 200);

        Assert.That(large.Power, Is.GreaterThan(small.Power));
        Assert.That(large.Power, Is.GreaterThan(0.8), "400 items x 3 seeds detect a 5-point change");
    }

    [Test]
    public void Simulate_PerfectBaseline_ThrowsNamingTheAccuracy()
    {
        var perfect = new ItemScores(["a", "b"], [2, 2], 2);

        Assert.That(() => PairedPower.Simulate(perfect, 0.05), Throws.TypeOf<IclPruneException>().With.Message.Contains("1.000"));
    }
}
