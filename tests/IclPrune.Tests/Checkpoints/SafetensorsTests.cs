using System.Text;
using IclPrune.Checkpoints;
using IclPrune.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tests.Checkpoints;

public sealed class SafetensorsTests
{
    string _dir = "";

    [OneTimeSetUp]
    public void InitTorch() => TorchRuntime.EnsureInitialized();

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("st-tests-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    static Dictionary<string, Tensor> SampleTensors(Generator g) => new()
    {
        ["f32"] = torch.randn([3, 5], generator: g),
        ["f16"] = torch.randn([7], generator: g).to(ScalarType.Float16),
        ["bf16"] = torch.randn([2, 3, 4], generator: g).to(ScalarType.BFloat16),
        ["i64"] = torch.arange(-5, 6, dtype: ScalarType.Int64),
        ["i32"] = torch.arange(0, 9, dtype: ScalarType.Int32).reshape(3, 3),
        ["bool"] = torch.tensor(new[] { true, false, true }),
        ["empty"] = torch.zeros([0, 4]),
        ["scalar"] = torch.tensor(3.5f),
    };

    [Test]
    public void Write_EveryDType_ReadsBackBitExact()
    {
        var g = new Generator(1);
        var tensors = SampleTensors(g);
        string path = Path.Combine(_dir, "a.safetensors");
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });

        using var file = SafetensorsFile.Open(path);
        Assert.That(file.Header.Metadata["format"], Is.EqualTo("pt"));
        Assert.That(file.Header.DataStart % 8, Is.EqualTo(0), "data section is 8-byte aligned");
        foreach (var (name, expected) in tensors)
        {
            using var actual = file.Read(name);
            Assert.That(actual.dtype, Is.EqualTo(expected.dtype), name);
            Assert.That(actual.shape, Is.EqualTo(expected.shape), name);
            Assert.That(Same(actual, expected), Is.True, name);
        }
    }

    [Test]
    public void Read_SmallChunks_SameAsOneRead()
    {
        // Forces the chunked path (used for tensors above 2 GB) on a small tensor: narrow views must land at the
        // right offsets.
        var g = new Generator(2);
        using var t = torch.randn([37, 11], generator: g);
        string path = Path.Combine(_dir, "c.safetensors");
        SafetensorsWriter.Write(path, [new("t", t)]);
        long saved = SafetensorsFile.ChunkBytes;
        SafetensorsFile.ChunkBytes = 12; // 3 floats per read
        try
        {
            using var file = SafetensorsFile.Open(path);
            using var back = file.Read("t");
            Assert.That(Same(back, t), Is.True);
        }
        finally
        {
            SafetensorsFile.ChunkBytes = saved;
        }
    }

    [Test]
    public void Read_TargetDType_Converts()
    {
        using var t = torch.tensor(new[] { 1.5f, -2.25f, 1e-3f });
        string path = Path.Combine(_dir, "d.safetensors");
        SafetensorsWriter.Write(path, [new("t", t)]);
        using var file = SafetensorsFile.Open(path);
        using var back = file.Read("t", ScalarType.BFloat16);
        Assert.That(back.dtype, Is.EqualTo(ScalarType.BFloat16));
        Assert.That(Same(back, t.to(ScalarType.BFloat16)), Is.True);
    }

    [Test]
    public void WriteSharded_SmallShards_IndexListsEveryTensor()
    {
        var g = new Generator(3);
        var tensors = Enumerable.Range(0, 5).ToDictionary(i => $"layer.{i}.weight", _ => torch.randn([4, 4], generator: g));
        SafetensorsWriter.WriteSharded(_dir, tensors, maxShardBytes: 130);

        Assert.That(File.Exists(Path.Combine(_dir, SafetensorsCheckpoint.IndexFileName)), Is.True);
        Assert.That(Directory.GetFiles(_dir, "model-*-of-*.safetensors"), Has.Length.EqualTo(3));
        using var checkpoint = SafetensorsCheckpoint.Open(_dir);
        Assert.That(checkpoint.Files, Has.Count.EqualTo(3));
        Assert.That(checkpoint.TensorNames, Is.EquivalentTo(tensors.Keys));
        foreach (var (name, expected) in tensors)
        {
            using var actual = checkpoint.Read(name);
            Assert.That(Same(actual, expected), Is.True, name);
        }
    }

    [Test]
    public void Write_ExistingFile_ReplacedAndNoTempLeft()
    {
        string path = Path.Combine(_dir, "model.safetensors");
        SafetensorsWriter.Write(path, [new("a", torch.ones(2))]);
        SafetensorsWriter.Write(path, [new("b", torch.zeros(3))]);
        using var file = SafetensorsFile.Open(path);
        Assert.That(file.Entries.Keys, Is.EqualTo(new[] { "b" }));
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1));
    }

    // --- malformed files: each must fail with an IclPruneException naming the file (and the tensor) ---

    static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.eq(b).all().item<bool>();

    string WriteRaw(string headerJson, int dataBytes, ulong? declaredLength = null)
    {
        string path = Path.Combine(_dir, "bad.safetensors");
        var header = Encoding.UTF8.GetBytes(headerJson);
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes(declaredLength ?? (ulong)header.Length));
        stream.Write(header);
        stream.Write(new byte[dataBytes]);
        return path;
    }

    static void ExpectError(string path, params string[] fragments)
    {
        var e = Assert.Throws<IclPruneException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.That(e!.Message, Does.Contain(path));
        foreach (var f in fragments)
            Assert.That(e.Message, Does.Contain(f));
    }

    [Test]
    public void Open_HeaderLengthBeyondFile_Throws() =>
        ExpectError(WriteRaw("{}", 0, declaredLength: 1000), "header length 1000", "past the end");

    [Test]
    public void Open_HeaderLengthAbove100MB_Throws() =>
        ExpectError(WriteRaw("{}", 0, declaredLength: 200_000_000), "above the 100000000-byte limit");

    [Test]
    public void Open_FileShorterThan8Bytes_Throws()
    {
        string path = Path.Combine(_dir, "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        ExpectError(path, "shorter than");
    }

    [Test]
    public void Open_InvalidJson_Throws() =>
        ExpectError(WriteRaw("{\"a\": {\"dtype\": ", 0), "not valid JSON");

    [Test]
    public void Open_UnknownDType_ThrowsNamingTensor() =>
        ExpectError(WriteRaw("""{"w": {"dtype": "F8_E4M3", "shape": [2], "data_offsets": [0, 2]}}""", 2), "'w'", "unknown dtype 'F8_E4M3'");

    [Test]
    public void Open_OffsetsOutOfRange_ThrowsNamingTensor() =>
        ExpectError(WriteRaw("""{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}""", 8), "'w'", "outside the 8-byte data section");

    [Test]
    public void Open_NegativeOrReversedOffsets_Throws() =>
        ExpectError(WriteRaw("""{"w": {"dtype": "F32", "shape": [0], "data_offsets": [8, 4]}}""", 8), "'w'", "data_offsets [8, 4]");

    [Test]
    public void Open_OverlappingTensors_ThrowsNamingBoth() =>
        ExpectError(WriteRaw("""
            {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
             "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}
            """, 12), "'b'", "overlaps tensor 'a'");

    [Test]
    public void Open_ByteLengthNotShapeTimesDType_ThrowsNamingTensor() =>
        ExpectError(WriteRaw("""{"w": {"dtype": "BF16", "shape": [3, 2], "data_offsets": [0, 8]}}""", 8), "'w'", "spans 8 bytes", "needs 12");

    [Test]
    public void Open_OverflowingShape_Throws() =>
        ExpectError(WriteRaw("""{"w": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 8]}}""", 8), "'w'", "overflows");

    [Test]
    public void Open_NegativeDimension_Throws() =>
        ExpectError(WriteRaw("""{"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}""", 8), "'w'", "shape entry -2");

    [Test]
    public void Open_RepeatedTensorName_Throws() =>
        ExpectError(WriteRaw("""
            {"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
             "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}
            """, 8), "'w' appears twice");

    [Test]
    public void Open_HeaderNotObject_Throws() =>
        ExpectError(WriteRaw("[1, 2]", 0), "must be a JSON object");

    [Test]
    public void OpenCheckpoint_IndexNamesMissingShard_Throws()
    {
        File.WriteAllText(Path.Combine(_dir, SafetensorsCheckpoint.IndexFileName),
            """{"metadata": {}, "weight_map": {"w": "model-00001-of-00002.safetensors"}}""");
        var e = Assert.Throws<IclPruneException>(() => SafetensorsCheckpoint.Open(_dir));
        Assert.That(e!.Message, Does.Contain("model-00001-of-00002.safetensors").And.Contain("'w'"));
    }

    [Test]
    public void OpenCheckpoint_IndexPathEscapesFolder_Throws()
    {
        File.WriteAllText(Path.Combine(_dir, SafetensorsCheckpoint.IndexFileName),
            """{"weight_map": {"w": "../other.safetensors"}}""");
        var e = Assert.Throws<IclPruneException>(() => SafetensorsCheckpoint.Open(_dir));
        Assert.That(e!.Message, Does.Contain("not a plain file name"));
    }

    [Test]
    public void OpenCheckpoint_NoWeights_ThrowsNamingFolder()
    {
        var e = Assert.Throws<IclPruneException>(() => SafetensorsCheckpoint.Open(_dir));
        Assert.That(e!.Message, Does.Contain(_dir).And.Contain("model.safetensors"));
    }
}
