using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Sampling;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Tests.Evaluation.Sampling;

public class SplitPlannerTests
{
    /// <summary>n items, class i % classes, in split "name".</summary>
    internal static List<Example> Items(string name, int n, int classes) =>
        Enumerable.Range(0, n).Select(i => new Example(name, i, new Dictionary<string, string> { ["text"] = $"{name}{i}" }, i % classes)).ToList();

    [Test]
    public void Plan_Rte_ValidationPerClassFromTrainRestIsPoolTestIsValidationSplit()
    {
        var task = TaskCatalog.Get("rte");
        var sources = new Dictionary<string, IReadOnlyList<Example>> { ["train"] = Items("train", 1000, 2), ["validation"] = Items("validation", 77, 2) };
        var plan = SplitPlanner.Plan(task, sources);
        Assert.That(plan.Validation, Has.Count.EqualTo(400));
        Assert.That(plan.Validation.Count(e => e.Class == 0), Is.EqualTo(200));
        Assert.That(plan.DemonstrationPool, Has.Count.EqualTo(600));
        Assert.That(plan.DemonstrationPool.Intersect(plan.Validation), Is.Empty);
        Assert.That(plan.Test, Is.EqualTo(sources["validation"]));
        Assert.That(plan.Validation.Select(e => e.Row), Is.Ordered, "scored splits keep file order");
    }

    [Test]
    public void Plan_SameSeed_SameItems_OtherSeed_OtherItems()
    {
        var task = TaskCatalog.Get("sst2");
        var sources = new Dictionary<string, IReadOnlyList<Example>> { ["train"] = Items("train", 20000, 2) };
        var a = SplitPlanner.Plan(task, sources);
        var b = SplitPlanner.Plan(task, sources);
        var c = SplitPlanner.Plan(task with { Splits = task.Splits with { Seed = 50 } }, sources);
        Assert.That(a.Validation.Select(e => e.Row), Is.EqualTo(b.Validation.Select(e => e.Row)));
        Assert.That(a.Validation.Select(e => e.Row), Is.Not.EqualTo(c.Validation.Select(e => e.Row)));
        Assert.That(a.Validation, Has.Count.EqualTo(8000));
        Assert.That(a.DemonstrationPool, Has.Count.EqualTo(1000));
        Assert.That(a.Test, Has.Count.EqualTo(20000 - 8000 - 1000), "test is the rest of train");
        Assert.That(a.Test.Concat(a.Validation).Concat(a.DemonstrationPool).Select(e => e.Row).Distinct().Count(), Is.EqualTo(20000));
    }

    [Test]
    public void Plan_TooFewOfAClass_NamesSplitClassAndCounts()
    {
        var task = TaskCatalog.Get("rte");
        var sources = new Dictionary<string, IReadOnlyList<Example>> { ["train"] = Items("train", 300, 2), ["validation"] = Items("validation", 10, 2) };
        var e = Assert.Throws<IclPruneException>(() => SplitPlanner.Plan(task, sources))!;
        Assert.That(e.Message, Does.Contain("splits.validation").And.Contain("200").And.Contain("'Yes'").And.Contain("only 150"));
    }

    [Test]
    public void Plan_NothingLeftForRest_SaysSo()
    {
        var task = TaskCatalog.Get("cb");
        var sources = new Dictionary<string, IReadOnlyList<Example>> { ["train"] = Items("train", 15, 3), ["validation"] = Items("validation", 6, 3) };
        var e = Assert.Throws<IclPruneException>(() => SplitPlanner.Plan(task, sources))!;
        Assert.That(e.Message, Does.Contain("splits.validation takes the rest of 'train'"));
    }
}
