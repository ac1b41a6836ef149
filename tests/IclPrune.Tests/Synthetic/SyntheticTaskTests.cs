using IclPrune.Synthetic;

namespace IclPrune.Tests.Synthetic;

public sealed class SyntheticTaskTests
{
    static readonly SyntheticWorld World = SyntheticWorld.Create();

    [TestCaseSource(typeof(SyntheticTask), nameof(SyntheticTask.BuiltIn))]
    public void Split_BuiltInTask_VerbatimSharesItemsOthersAreDisjoint(SyntheticTask task)
    {
        var splits = task.Split(World);
        var trainItems = splits.Train.Select(r => r.Item).ToHashSet();
        var test = splits.Test;
        if (task.Verbatim) Assert.That(test.Select(r => r.Item), Is.SubsetOf(trainItems));
        else
        {
            Assert.That(test.Select(r => r.Item).Where(trainItems.Contains), Is.Empty);
            Assert.That(splits.Validation.Select(r => r.Item).Where(trainItems.Contains), Is.Empty);
            Assert.That(test.Select(r => r.Item).Intersect(splits.Validation.Select(r => r.Item)), Is.Empty);
        }
        Assert.That(test.GroupBy(r => r.Class).Select(g => g.Count()), Is.All.EqualTo(task.TestPerClass));
    }

    [Test]
    public void DrawDemonstrations_Seeded_BalancedInterleavedAndRepeatable()
    {
        var task = SyntheticTask.BuiltIn[1];
        var train = task.Split(World).Train;
        var a = SyntheticTask.DrawDemonstrations(train, task.ClassCount, 8, seed: 3);
        var b = SyntheticTask.DrawDemonstrations(train, task.ClassCount, 8, seed: 3);
        Assert.That(b, Is.EqualTo(a));
        Assert.That(a.Select(d => d.Class), Is.EqualTo(new[] { 0, 1, 2, 3, 0, 1, 2, 3 }));
        Assert.That(a.Select(d => d.Item), Is.Unique);
    }

    [Test]
    public void LabelWords_BuiltInTasks_AreDistinctPoolWords()
    {
        foreach (var task in SyntheticTask.BuiltIn)
            Assert.That(task.LabelWords(World), Is.Unique.And.SubsetOf(World.LabelWords), task.Name);
    }
}
