using System.Text.Json;
using IclPrune.Checkpoints;
using IclPrune.Models;
using IclPrune.Runtime;
using IclPrune.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tests.Models;

/// <summary>
/// The loader on pytorch_model.bin copies of every family's tiny checkpoint (written by the test-only
/// TorchSaveWriter in torch.save's format, every matrix stored as a transposed, non-contiguous view of its storage):
/// the model must be exactly the one loaded from safetensors (logits equal, tolerance 0: same float32 weights, same
/// kernels).
/// </summary>
[TestFixtureSource(typeof(TinyModels), nameof(TinyModels.Families))]
public sealed class BinCheckpointLoadTests(string family)
{
    TinyCheckpoint _tiny = null!;
    string _binFolder = "";

    [OneTimeSetUp]
    public void WriteBinCopy()
    {
        TorchRuntime.EnsureInitialized();
        _tiny = TinyModels.Create(family);
        _binFolder = Directory.CreateTempSubdirectory($"bin-{family}-").FullName;
        File.Copy(Path.Combine(_tiny.Folder, "config.json"), Path.Combine(_binFolder, "config.json"));
        using var source = SafetensorsCheckpoint.Open(_tiny.Folder);
        var shards = source.Files.Select(f => f.Entries.Keys.ToList()).ToList();
        var weightMap = new Dictionary<string, string>();
        for (int i = 0; i < shards.Count; i++)
        {
            string name = shards.Count == 1 ? TorchBinCheckpoint.SingleFileName : $"pytorch_model-{i + 1:D5}-of-{shards.Count:D5}.bin";
            var tensors = shards[i].Select(key =>
            {
                using var t = source.Read(key);
                return t.dim() == 2 ? TransposedView(key, t) : TorchSaveWriter.FromTensor(key, t);
            }).ToList();
            TorchSaveWriter.Save(Path.Combine(_binFolder, name), tensors);
            foreach (var key in shards[i])
                weightMap[key] = name;
        }
        if (shards.Count > 1)
            File.WriteAllText(Path.Combine(_binFolder, TorchBinCheckpoint.IndexFileName),
                JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = weightMap }));
    }

    /// <summary>[R, C] stored as the contiguous [C, R] transpose, viewed back with stride (1, R).</summary>
    static TorchSaveTensor TransposedView(string name, Tensor t)
    {
        var stored = TorchSaveWriter.FromTensor(name, t.t());
        return stored with { Size = t.shape, Stride = [1, t.shape[0]] };
    }

    [OneTimeTearDown]
    public void Delete()
    {
        _tiny.Dispose();
        Directory.Delete(_binFolder, recursive: true);
    }

    [Test]
    public void Load_BinOnly_SameLogitsAsSafetensorsAndReportsBin()
    {
        using var fromSafetensors = ModelLoader.Load(_tiny.Folder);
        using var fromBin = ModelLoader.Load(_binFolder);
        Assert.That(fromSafetensors.WeightsFormat, Is.EqualTo(CheckpointFormat.Safetensors));
        Assert.That(fromBin.WeightsFormat, Is.EqualTo(CheckpointFormat.PyTorchBin));
        Assert.That(fromBin.WeightFiles.All(f => f.EndsWith(".bin")), Is.True);

        long[] ids = [3, 1, 4, 1, 5, 9, 2, 6];
        using var expected = ModelRun.Logits(fromSafetensors.Model, ids);
        using var actual = ModelRun.Logits(fromBin.Model, ids);
        Assert.That(ModelRun.MaxAbsDiff(actual, expected), Is.EqualTo(0.0));
    }
}
