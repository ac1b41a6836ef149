using IclPrune.Export;
using IclPrune.Models;
using IclPrune.Pruning;
using IclPrune.Runtime;
using IclPrune.Tests.Models;

namespace IclPrune.Tests.Export;

/// <summary>Export of a pruned tiny GPT-2 (openai-community layout) through the real loader and writer.</summary>
public sealed class PrunedExportTests
{
    static readonly long[] Ids = [3, 17, 60, 0, 42, 42, 8, 29, 11];
    string _out = "";

    [OneTimeSetUp]
    public void InitTorch() => TorchRuntime.EnsureInitialized();

    [SetUp]
    public void CreateFolder() => _out = Directory.CreateTempSubdirectory("icl-export-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_out, recursive: true);

    static PrunePlan Plan(LoadedModel loaded, params string[] specs) =>
        PrunePlan.Resolve(specs.Select(PruneSpec.Parse), PruneTargetMaps.For(loaded.Model.Description, loaded.Model.NamedParameters.Keys),
            loaded.Model.Description.NumLayers, loaded.Model.NamedParameters);

    [Test]
    public void Write_Dense_LoadsBackWithIdenticalLogits()
    {
        using var checkpoint = Gpt2Checkpoints.Create();
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        var plan = Plan(loaded, "mlp@-1:0.5", "q@0:rank=3");
        using var pruner = new Pruner(loaded.Model.NamedParameters);
        using var unpruned = ModelRun.Logits(loaded.Model, Ids);
        TorchSharp.torch.Tensor pruned;
        using (pruner.Apply(plan)) pruned = ModelRun.Logits(loaded.Model, Ids);

        var report = PrunedExport.Write(checkpoint.Folder, loaded.Model.NamedParameters, plan, pruner, _out, factorized: false);
        Assert.That(report.StoredParameters, Is.EqualTo(report.DenseParameters));
        Assert.That(File.Exists(Path.Combine(_out, LowRankManifest.FileName)), Is.False);

        using var reloaded = ModelLoader.Load(_out);
        using var exported = ModelRun.Logits(reloaded.Model, Ids);
        Assert.That(ModelRun.MaxAbsDiff(exported, pruned), Is.EqualTo(0), "stored weights are the pruned weights, bit for bit");
        Assert.That(ModelRun.MaxAbsDiff(exported, unpruned), Is.GreaterThan(1e-4), "the export is pruned");
        using var after = ModelRun.Logits(loaded.Model, Ids);
        Assert.That(ModelRun.MaxAbsDiff(after, unpruned), Is.EqualTo(0), "exporting leaves the loaded model unpruned");
        pruned.Dispose();
    }

    [Test]
    public void Write_Factorized_SavesParametersAndDensifiesToSameLogits()
    {
        using var checkpoint = Gpt2Checkpoints.Create();
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        // fc_in [24, 37] at rank 2: 888 -> 2 * (24 + 37) = 122 parameters; o [24, 24] at rank 4: 576 -> 192;
        // q of the fused c_attn is a slice: stored dense.
        var plan = Plan(loaded, "fc_in@1:rank=2", "o@0:rank=4", "q@1:0.5");
        using var pruner = new Pruner(loaded.Model.NamedParameters);
        TorchSharp.torch.Tensor pruned;
        using (pruner.Apply(plan)) pruned = ModelRun.Logits(loaded.Model, Ids);

        var report = PrunedExport.Write(checkpoint.Folder, loaded.Model.NamedParameters, plan, pruner, _out, factorized: true);
        Assert.That(report.ParametersSaved, Is.EqualTo(888 - 122 + 576 - 192));
        Assert.That(report.BytesSaved, Is.EqualTo(4 * report.ParametersSaved));
        Assert.That(report.DenseSlices, Is.EqualTo(new[] { "transformer.h.1.attn.c_attn.weight[q]" }));
        Assert.That(report.FactorizedMatrices.Select(m => (m.Parameter, m.Rank)), Is.EquivalentTo(new[]
        {
            ("transformer.h.1.mlp.c_fc.weight", 2), ("transformer.h.0.attn.c_proj.weight", 4),
        }));
        Assert.That(LowRankCheckpoint.IsFactorized(_out), Is.True);

        string dense = Path.Combine(_out, "dense");
        LowRankCheckpoint.Densify(_out, dense);
        using var reloaded = ModelLoader.Load(dense);
        using var logits = ModelRun.Logits(reloaded.Model, Ids);
        // A B re-multiplied in float32 vs the in-place reconstruction: same math, different rounding (< 1e-5 on O(1) logits).
        Assert.That(ModelRun.MaxAbsDiff(logits, pruned), Is.LessThan(1e-5));
        pruned.Dispose();
    }

    [Test]
    public void Write_IntoSourceFolder_Refused()
    {
        using var checkpoint = Gpt2Checkpoints.Create();
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        using var pruner = new Pruner(loaded.Model.NamedParameters);
        Assert.Throws<UsageException>(() => PrunedExport.Write(checkpoint.Folder, loaded.Model.NamedParameters, Plan(loaded, "o@0:0.5"), pruner, checkpoint.Folder, false));
    }
}
