using IclPrune.Checkpoints;
using IclPrune.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tests.Checkpoints;

/// <summary>The writer form that loads each tensor only when it is written (used by convert).</summary>
public sealed class SafetensorsStreamingWriteTests
{
    string _dir = "";

    [OneTimeSetUp]
    public void InitTorch() => TorchRuntime.EnsureInitialized();

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("st-stream-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void WriteSharded_FromPlan_LoadsEachTensorOnceInOrderAndMatchesInMemoryWrite()
    {
        var g = new Generator(5);
        var tensors = Enumerable.Range(0, 4).ToDictionary(i => $"l.{i}.w", _ => torch.randn([3, 5], generator: g));
        var plan = tensors.Select(t => new CheckpointTensorInfo(t.Key, t.Value.dtype, t.Value.shape)).ToList();
        var loaded = new List<string>();
        string streamed = Path.Combine(_dir, "streamed");
        string inMemory = Path.Combine(_dir, "memory");

        var files = SafetensorsWriter.WriteSharded(streamed, plan, name => { loaded.Add(name); return tensors[name].clone(); }, maxShardBytes: 130);
        SafetensorsWriter.WriteSharded(inMemory, tensors, maxShardBytes: 130);

        Assert.That(loaded, Is.EqualTo(tensors.Keys));
        Assert.That(files.Select(Path.GetFileName), Does.Contain(SafetensorsCheckpoint.IndexFileName));
        foreach (var file in Directory.GetFiles(inMemory))
            Assert.That(File.ReadAllBytes(Path.Combine(streamed, Path.GetFileName(file))), Is.EqualTo(File.ReadAllBytes(file)), file);
    }

    [Test]
    public void Write_LoadedShapeDiffersFromPlan_ThrowsAndLeavesNoFile()
    {
        var plan = new List<CheckpointTensorInfo> { new("w", ScalarType.Float32, [2, 2]) };
        string path = Path.Combine(_dir, "x.safetensors");
        var e = Assert.Throws<IclPruneException>(() => SafetensorsWriter.Write(path, plan, _ => torch.zeros(3)));
        Assert.That(e!.Message, Does.Contain("'w'").And.Contain("[3]").And.Contain("[2, 2]"));
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }
}
