using IclPrune.Search;

namespace IclPrune.Tests.Search;

public sealed class SchedulerShardTests
{
    static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    static SweepShard? Resolve(string? option, int? count, params (string, string)[] variables) =>
        SchedulerShard.Resolve(option, count, Env(variables)).Shard;

    [Test]
    public void Resolve_ExplicitShard_WinsOverScheduler() =>
        Assert.That(Resolve("2/5", null, ("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "3"), ("SLURM_ARRAY_TASK_MIN", "0")),
            Is.EqualTo(new SweepShard(2, 5)));

    [Test]
    public void Resolve_ShardNoneInsideArrayJob_WholeGrid() =>
        Assert.That(Resolve("none", null, ("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "3"), ("SLURM_ARRAY_TASK_MIN", "0")), Is.Null);

    [Test]
    public void Resolve_NoOptionNoScheduler_WholeGrid() => Assert.That(Resolve(null, null), Is.Null);

    [TestCase("0", "0", "3", 1)]
    [TestCase("2", "0", "3", 3)]
    [TestCase("1", "1", "4", 1)]   // --array=1-4: task ids count from SLURM_ARRAY_TASK_MIN
    [TestCase("4", "1", "4", 4)]
    public void Resolve_SlurmArray_ShardFromTaskIdMinusMin(string id, string min, string count, int expected) =>
        Assert.That(Resolve(null, null, ("SLURM_ARRAY_TASK_ID", id), ("SLURM_ARRAY_TASK_MIN", min), ("SLURM_ARRAY_TASK_COUNT", count)),
            Is.EqualTo(new SweepShard(expected, int.Parse(count))));

    [Test]
    public void Resolve_SlurmArrayWithStep_ShardFromStepNumber() =>
        Assert.That(Resolve(null, null, ("SLURM_ARRAY_TASK_ID", "10"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_STEP", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "3")), Is.EqualTo(new SweepShard(3, 3)));

    [Test]
    public void Resolve_SlurmArrayNotARange_UsageErrorNamingTheVariables()
    {
        // --array=1,3,7: three tasks, but task 7 is not 1 + k steps within three.
        var e = Assert.Throws<UsageException>(() =>
            Resolve(null, null, ("SLURM_ARRAY_TASK_ID", "7"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "3")));
        Assert.That(e!.Message, Does.Contain("SLURM_ARRAY_TASK_ID=7").And.Contain("--shard K/N"));
    }

    [Test]
    public void Resolve_SlurmIdWithoutCount_UsageError()
    {
        var e = Assert.Throws<UsageException>(() => Resolve(null, null, ("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "0")));
        Assert.That(e!.Message, Does.Contain("SLURM_ARRAY_TASK_COUNT is not set"));
    }

    [Test]
    public void Resolve_KubernetesIndexWithCountVariable_ShardFromIndex() =>
        Assert.That(Resolve(null, null, ("JOB_COMPLETION_INDEX", "0"), (SchedulerShard.CountVariable, "4")), Is.EqualTo(new SweepShard(1, 4)));

    [Test]
    public void Resolve_KubernetesIndexWithCountOption_OptionCounts() =>
        Assert.That(Resolve(null, 5, ("JOB_COMPLETION_INDEX", "4"), (SchedulerShard.CountVariable, "4")), Is.EqualTo(new SweepShard(5, 5)));

    [Test]
    public void Resolve_KubernetesIndexWithoutCount_UsageErrorSaysHowToGiveIt()
    {
        var e = Assert.Throws<UsageException>(() => Resolve(null, null, ("JOB_COMPLETION_INDEX", "2")));
        Assert.That(e!.Message, Does.Contain("--shard-count").And.Contain(SchedulerShard.CountVariable));
    }

    [Test]
    public void Resolve_KubernetesIndexBeyondCount_UsageError() =>
        Assert.Throws<UsageException>(() => Resolve(null, null, ("JOB_COMPLETION_INDEX", "3"), (SchedulerShard.CountVariable, "3")));

    [TestCase("3")]
    [TestCase("0/3")]
    [TestCase("4/3")]
    [TestCase("a/b")]
    [TestCase("1/0")]
    public void Resolve_MalformedShard_UsageErrorNamingIt(string text)
    {
        var e = Assert.Throws<UsageException>(() => Resolve(text, null));
        Assert.That(e!.Message, Does.Contain($"'{text}'"));
    }

    [Test]
    public void Resolve_ShardCountWithoutIndex_UsageError() => Assert.Throws<UsageException>(() => Resolve(null, 3));

    [Test]
    public void Resolve_NonIntegerVariable_UsageErrorNamingIt()
    {
        var e = Assert.Throws<UsageException>(() => Resolve(null, null, ("JOB_COMPLETION_INDEX", "two"), (SchedulerShard.CountVariable, "3")));
        Assert.That(e!.Message, Does.Contain("JOB_COMPLETION_INDEX='two'"));
    }
}
