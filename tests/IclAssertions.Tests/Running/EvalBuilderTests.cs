using IclAssertions.Models;
using IclAssertions.Tests.Support;

namespace IclAssertions.Tests.Running;

/// <summary>The fluent API on a real (random-weight) checkpoint and a real task file, through the real engine.</summary>
[NonParallelizable]
public class EvalBuilderTests
{
    RandomGpt2Suite _suite = null!;

    [OneTimeSetUp]
    public void CreateSuite() => _suite = new RandomGpt2Suite();

    [OneTimeTearDown]
    public void DeleteSuite() => _suite.Dispose();

    IclAssertions.Running.EvalBuilder Eval() =>
        IclEval.Model(_suite.ModelFolder).Task(_suite.TaskFile).Data(_suite.DataFolder).Shots(2).Seeds(0, 1);

    [Test]
    public async Task RunAsync_SameEvaluationTwice_GivesIdenticalItemsAndLoadsTheModelOnce()
    {
        var first = await Eval().RunAsync();
        int loaded = ModelCache.LoadedCount;
        var second = await Eval().RunAsync();

        Assert.That(ModelCache.LoadedCount, Is.EqualTo(loaded), "the second run must reuse the cached model");
        Assert.That(first.PerSeed.Select(s => s.N), Is.All.EqualTo(8));
        Assert.That(second.PerSeed.Select(s => s.ItemCorrect), Is.EqualTo(first.PerSeed.Select(s => s.ItemCorrect)));
        Assert.That(first.Model.Fingerprint, Does.Not.Empty);
        Assert.That(first.Task.Id, Is.EqualTo("polarity-random"));
        Assert.That(first.Device, Is.EqualTo("cpu"));
    }

    [Test]
    public async Task RunAsync_Pruned_RecordsSpecsAndRestoresWeightsAfterwards()
    {
        var before = await Eval().RunAsync();
        var pruned = await Eval().Prune("mlp@-1:0.99").RunAsync();
        var after = await Eval().RunAsync();

        Assert.That(pruned.PruneSpecs, Has.Count.EqualTo(1));
        Assert.That(pruned.Model.Fingerprint, Is.EqualTo(before.Model.Fingerprint), "the fingerprint names the checkpoint, the specs the pruning");
        // Restoration is bit-exact (PruneScope copies the originals back), so per-item outcomes match exactly.
        Assert.That(after.PerSeed.Select(s => s.ItemCorrect), Is.EqualTo(before.PerSeed.Select(s => s.ItemCorrect)));
    }

    [Test]
    public async Task RunAsync_ParallelTestsOnOneModel_AreSerialisedAndAgree()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            i % 2 == 0 ? Eval().RunAsync() : Eval().Prune("attn@0:0.9").RunAsync()));
        Assert.That(runs[2].PerSeed.Select(s => s.ItemCorrect), Is.EqualTo(runs[0].PerSeed.Select(s => s.ItemCorrect)));
        Assert.That(runs[3].PerSeed.Select(s => s.ItemCorrect), Is.EqualTo(runs[1].PerSeed.Select(s => s.ItemCorrect)));
    }

    [Test]
    public async Task RunAsync_BuiltInTaskWithBundledData_ScoresTheWholeTestSplit()
    {
        var result = await IclEval.Model(_suite.ModelFolder).Task("synth-2way").Seeds(3).RunAsync();
        Assert.That(result.Task.Id, Is.EqualTo("synth-2way"));
        Assert.That(result.Shots, Is.EqualTo(8));
        Assert.That(result.PerSeed.Single().N, Is.EqualTo(24), "synth-2way bundles 24 test items");
    }

    [Test]
    public void Prune_BadSpec_FailsBeforeLoadingAnything()
    {
        Assert.Throws<IclPrune.UsageException>(() => Eval().Prune("mlp@@:2"));
    }

    [Test]
    public void RunAsync_MissingCheckpoint_FailsEachTimeWithTheName()
    {
        string missing = Path.Combine(_suite.Root, "no-such-model");
        // The failed load is not cached: a second test gets the same clear error, not a poisoned cache entry.
        for (int attempt = 0; attempt < 2; attempt++)
            Assert.That(() => IclEval.Model(missing).Task(_suite.TaskFile).Data(_suite.DataFolder).RunAsync(),
                Throws.InstanceOf<IclPrune.IclPruneException>().With.Message.Contains("no-such-model"));
    }

    [Test]
    public void RunAsync_NoTask_SaysSo()
    {
        var e = Assert.ThrowsAsync<InvalidOperationException>(() => IclEval.Model(_suite.ModelFolder).RunAsync());
        Assert.That(e!.Message, Does.Contain(".Task("));
    }
}
