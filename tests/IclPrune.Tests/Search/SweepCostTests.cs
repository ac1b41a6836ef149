using IclPrune.Search;

namespace IclPrune.Tests.Search;

public class SweepCostTests
{
    [Test]
    public void Of_FirstRunIsTheFullEvaluation_RatioOfTheMeanCell()
    {
        var cost = SweepCost.Of([4.0, 1.0, 2.0, 3.0])!;
        Assert.That(cost.FullEvaluationSeconds, Is.EqualTo(4.0));
        Assert.That(cost.MeanCellSeconds, Is.EqualTo(2.0));
        Assert.That(cost.Cells, Is.EqualTo(3));
        Assert.That(cost.Ratio, Is.EqualTo(0.5));
        Assert.That(cost.ToString(), Does.Contain("0.50 x"));
    }

    [Test]
    public void Of_FewerThanTwoRuns_Null()
    {
        Assert.That(SweepCost.Of([]), Is.Null);
        Assert.That(SweepCost.Of([3.0]), Is.Null);
    }
}
