using IclAssertions.Tests.Support;
using NUnit.Framework.Interfaces;

namespace IclAssertions.Tests.Constraints;

[NonParallelizable]
public class SignificantlyWorseThanConstraintTests
{
    static readonly bool[][] Unpruned = [Evaluations.Items(300, 210, 1), Evaluations.Items(300, 216, 2)];

    ITestResult Run(bool[][] pruned)
    {
        Scenario.Baseline = Evaluations.From(Unpruned);
        Scenario.Result = Evaluations.From(pruned, "task-fp-1", pruneSpecs: ["mlp@-1:0.99"]);
        return NUnitRun.Single(typeof(NotWorseSample));
    }

    [Test]
    public void IsNot_SignificantDrop_FailsShowingTheComparison()
    {
        var outcome = Run(Unpruned.Select(i => Evaluations.Flip(i, 15, 2)).ToArray());
        TestContext.Out.WriteLine(outcome.Message);
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Failed));
        Assert.That(outcome.Message, Does.Contain("Expected: not significantly worse than tiny on synthetic-antonyms"));
        Assert.That(outcome.Message, Does.Contain("baseline").And.Contain("result").And.Contain("95% CI").And.Contain("p(drop) = ").And.Contain("item(s) worse"));
    }

    [Test]
    public void IsNot_NoiseLevelChange_Passes()
    {
        var outcome = Run(Unpruned.Select(i => Evaluations.Flip(i, 3, 2)).ToArray());
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Passed), outcome.Message);
    }

    [Test]
    public void ApplyTo_OtherTask_ThrowsInsteadOfPassing()
    {
        var baseline = Evaluations.From(Unpruned);
        var other = Evaluations.From(Unpruned, "task-fp-other");
        Assert.That(() => Assert.That(other, Is.Not.SignificantlyWorseThan(baseline)),
            Throws.ArgumentException.With.Message.Contains("Cannot pair"));
    }

    [Test]
    public void HasAccuracyAtLeast_BelowFloor_FailsWithPerSeedTable()
    {
        var result = Evaluations.From(Unpruned); // 0.70 and 0.72
        Assert.That(result, Has.AccuracyAtLeast(0.7));
        var e = Assert.Throws<AssertionException>(() => Assert.That(result, Has.AccuracyAtLeast(0.71).OnEverySeed()));
        Assert.That(e!.Message, Does.Contain("accuracy at least 0.71 on every seed").And.Contain("0.7000").And.Contain("95% CI (Wilson)"));
    }
}
