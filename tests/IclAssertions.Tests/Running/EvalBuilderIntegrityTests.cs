using IclAssertions.Models;
using IclAssertions.Tests.Support;
using IclPrune;
using IclPrune.Evaluation.Scoring;
using IclPrune.Models;
using IclPrune.Pruning;
using TorchSharp;

namespace IclAssertions.Tests.Running;

/// <summary>
/// What the library guarantees about the shared, cached model: after a pruned run every parameter is bit-identical
/// (a digest of all of them), and a model that produces NaN/inf never yields an accuracy (issue 17).
/// </summary>
[NonParallelizable]
public class EvalBuilderIntegrityTests
{
    RandomGpt2Suite _suite = null!;

    [OneTimeSetUp]
    public void CreateSuite() => _suite = new RandomGpt2Suite(seed: 29);

    [OneTimeTearDown]
    public void DeleteSuite() => _suite.Dispose();

    static readonly ModelLoadOptions CpuFp32 = new() { Device = torch.CPU, DType = torch.ScalarType.Float32 };

    async Task<string> DigestOfCachedModel()
    {
        using var lease = await ModelCache.AcquireAsync(_suite.ModelFolder, CpuFp32);
        return ParameterDigest.Of(lease.Model.Model.NamedParameters);
    }

    [Test]
    public async Task RunAsync_Pruned_EveryParameterIsBitIdenticalAfterwards()
    {
        string before = await DigestOfCachedModel();

        var pruned = await IclEval.Model(_suite.ModelFolder).Task(_suite.TaskFile).Data(_suite.DataFolder).Shots(2)
            .Prune("mlp@-1:0.99", "attn@0:0.9").RunAsync();

        Assert.That(pruned.PruneSpecs, Has.Count.EqualTo(2));
        Assert.That(await DigestOfCachedModel(), Is.EqualTo(before));
    }

    [Test]
    public async Task Digest_WhilePruned_DiffersSoTheCheckCanFail()
    {
        using var lease = await ModelCache.AcquireAsync(_suite.ModelFolder, CpuFp32);
        var model = lease.Model.Model;
        string original = ParameterDigest.Of(model.NamedParameters);
        var plan = PrunePlan.Resolve([PruneSpec.Parse("mlp@0:0.5")], PruneTargetMaps.For(model.Description, model.NamedParameters.Keys),
            model.Description.NumLayers, model.NamedParameters);
        using (lease.Pruner.Apply(plan))
        {
            Assert.That(ParameterDigest.Of(model.NamedParameters), Is.Not.EqualTo(original));
            Assert.Throws<InvalidOperationException>(() => ParameterDigest.Verify(original, model.NamedParameters, "while pruned"));
        }
        Assert.That(ParameterDigest.Of(model.NamedParameters), Is.EqualTo(original));
    }

    [Test]
    public void RunAsync_ModelWithANaNWeight_ThrowsInsteadOfReportingAnAccuracy()
    {
        string folder = Path.Combine(_suite.Root, "gpt2-nan");
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(_suite.ModelFolder)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        CheckpointEdits.PutNaN(folder, "ln_f.weight");

        var e = Assert.ThrowsAsync<NonFiniteScoresException>(() =>
            IclEval.Model(folder).Task(_suite.TaskFile).Data(_suite.DataFolder).Shots(2).RunAsync());
        Assert.That(e!.Message, Does.Contain("the model produced NaN/inf log-probs for 8 of 8 items"));
        Assert.That(e, Is.InstanceOf<IclPruneException>());
    }
}
