using System.Text.Json.Nodes;
using IclPrune.Checkpoints;
using IclPrune.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static IclPrune.Tests.Checkpoints.TorchZipTestData;

namespace IclPrune.Tests.Checkpoints;

/// <summary>
/// The .bin files in TorchZip/ were written by make_torch_zip.py in torch.save's format, all but real-torch/ without
/// PyTorch (real-torch/ by torch.save itself); expected.safetensors holds the same tensors, materialised by that script independently of the
/// C# reader. Every comparison is bit-exact (tolerance 0).
/// </summary>
public sealed class TorchBinCheckpointTests
{
    string _dir = "";

    [OneTimeSetUp]
    public void InitTorch() => TorchRuntime.EnsureInitialized();

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("bin-tests-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    static void ExpectSameAsSafetensors(ICheckpointReader checkpoint)
    {
        using var expected = SafetensorsFile.Open(Expected);
        Assert.That(checkpoint.TensorNames, Is.EquivalentTo(expected.Entries.Keys));
        foreach (var name in expected.Entries.Keys)
        {
            using var want = expected.Read(name);
            using var got = checkpoint.Read(name);
            Assert.That(BitEqual(got, want), Is.True, $"{name}: {got.dtype}{string.Join("x", got.shape)} vs {want.dtype}{string.Join("x", want.shape)}");
            var info = checkpoint.Describe(name);
            Assert.That(info.DType, Is.EqualTo(want.dtype), name);
            Assert.That(info.Shape, Is.EqualTo(want.shape), name);
        }
    }

    [Test]
    public void Open_SingleFile_EveryTensorBitEqualToSafetensors()
    {
        using var checkpoint = TorchBinCheckpoint.Open(SingleFolder);
        Assert.That(checkpoint.Format, Is.EqualTo(CheckpointFormat.PyTorchBin));
        ExpectSameAsSafetensors(checkpoint);
    }

    [Test]
    public void Open_Protocol4Pickle_EveryTensorBitEqualToSafetensors()
    {
        using var checkpoint = TorchBinCheckpoint.Open(Protocol4);
        ExpectSameAsSafetensors(checkpoint);
    }

    [Test]
    public void Open_BigEndianByteOrder_SwappedToTheSameTensors()
    {
        using var checkpoint = TorchBinCheckpoint.Open(Path.Combine(Folder, "bigendian"));
        ExpectSameAsSafetensors(checkpoint);
    }

    [Test]
    public void Open_Zip64Records_SameTensors()
    {
        using var checkpoint = TorchBinCheckpoint.Open(Path.Combine(Folder, "zip64"));
        ExpectSameAsSafetensors(checkpoint);
    }

    [Test]
    public void Open_RealTorchSaveFile_SameTensors()
    {
        // Written by torch.save itself (PyTorch 1.13.1 from Debian 12's python3-torch, real-torch/torch-version.txt)
        // with `make_torch_zip.py --real-torch real-torch`: fp32, fp16 and bf16 storages, a transposed view with a
        // storage offset and tensors sharing one storage. Torch 1.13 writes no byteorder record (little-endian).
        string folder = Path.Combine(Folder, "real-torch");
        using var checkpoint = TorchBinCheckpoint.Open(folder);
        ExpectSameAsSafetensors(checkpoint); // the hand-made files' tensors, bit for bit (tolerance 0)

        // The values torch.load read back, as JSON numbers (exact: fp16/bf16/fp32 values are doubles exactly).
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "expected-values.json")))!.AsObject();
        Assert.That(checkpoint.TensorNames, Is.EquivalentTo(expected.Select(e => e.Key)));
        foreach (var (name, entry) in expected)
        {
            using var got = checkpoint.Read(name);
            Assert.That(got.dtype.ToString(), Is.EqualTo(TorchDTypeNames[entry!["dtype"]!.GetValue<string>()]), name);
            Assert.That(got.shape, Is.EqualTo(entry["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray()), name);
            using var asDouble = got.to(ScalarType.Float64).contiguous();
            double[] values = asDouble.numel() == 0 ? [] : asDouble.data<double>().ToArray(); // TorchSharp's accessor refuses an empty tensor
            Assert.That(values, Is.EqualTo(entry["values"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray()), name);
        }
        var view = checkpoint.Entry("h.0.mlp.c_proj.weight").View;
        Assert.That((view.StorageOffset, view.Stride), Is.EqualTo((7L, new long[] { 1, 5 })));
        Assert.That(checkpoint.Entry("lm_head.weight").View.Storage.Key, Is.EqualTo(checkpoint.Entry("wte.weight").View.Storage.Key));
        Assert.That(checkpoint.Entry("h.0.mlp.c_proj.bias").View.Storage.Key, Is.EqualTo(view.Storage.Key));
    }

    static readonly Dictionary<string, string> TorchDTypeNames = new()
    {
        ["float32"] = "Float32", ["float16"] = "Float16", ["bfloat16"] = "BFloat16", ["int64"] = "Int64",
        ["int32"] = "Int32", ["uint8"] = "Byte", ["bool"] = "Bool",
    };

    [Test]
    public void Open_ShardedWithIndex_EveryTensorBitEqualToSafetensors()
    {
        using var checkpoint = TorchBinCheckpoint.Open(Sharded);
        Assert.That(checkpoint.FilePaths, Has.Count.EqualTo(2));
        ExpectSameAsSafetensors(checkpoint);
    }

    [Test]
    public void Open_SampleFile_CoversEveryDTypeAndANonContiguousView()
    {
        // Guards the test data itself: the comparisons above must exercise these cases.
        using var checkpoint = TorchBinCheckpoint.Open(SingleFolder);
        var dtypes = checkpoint.TensorNames.Select(n => checkpoint.Describe(n).DType).ToHashSet();
        Assert.That(dtypes, Is.SupersetOf(new[] { ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16,
            ScalarType.Bool, ScalarType.Byte, ScalarType.Int64, ScalarType.Int32 }));
        var view = checkpoint.Entry("h.0.mlp.c_proj.weight").View;
        Assert.That(view.StorageOffset, Is.EqualTo(7));
        Assert.That(view.Stride, Is.EqualTo(new long[] { 1, 5 }));
        Assert.That(checkpoint.Entry("lm_head.weight").View.Storage.Key, Is.EqualTo(checkpoint.Entry("wte.weight").View.Storage.Key));
    }

    [Test]
    public void Read_StridedView_EqualsAsStridedOfTheStorageValues()
    {
        // Second, independent reference for the strided case: element [i, j] = storage[7 + i*1 + j*5].
        using var checkpoint = TorchBinCheckpoint.Open(SingleFolder);
        using var storage = checkpoint.Read("h.0.mlp.c_proj.bias"); // elements 20..29 of the same 40-float storage
        using var view = checkpoint.Read("h.0.mlp.c_proj.weight");
        Assert.That(view.shape, Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(view.is_contiguous(), Is.True);
        // [2, 1] -> 7 + 2 + 5 = 14 (not in bias); [1, 3] -> 7 + 1 + 15 = 23 = bias flat index 3
        var flatBias = storage.view(-1);
        Assert.That(view[1, 3].item<float>(), Is.EqualTo(flatBias[3].item<float>()));
        Assert.That(view[0, 3].item<float>(), Is.EqualTo(flatBias[2].item<float>()));
    }

    [Test]
    public void Read_TiedWeights_ResultsOwnTheirMemory()
    {
        using var checkpoint = TorchBinCheckpoint.Open(SingleFolder);
        using var wte = checkpoint.Read("wte.weight");
        using var original = wte.clone();
        wte.add_(1.0f); // in-place edit (what pruning does) must not reach the cached shared storage
        using var head = checkpoint.Read("lm_head.weight");
        Assert.That(BitEqual(head, original), Is.True);
    }

    [Test]
    public void Read_SmallChunks_SameAsOneRead()
    {
        long saved = TorchBinFile.ChunkBytes;
        TorchBinFile.ChunkBytes = 6; // 3 halves / 1 float / 6 bytes per read: chunk edges land inside storages
        try
        {
            using var checkpoint = TorchBinCheckpoint.Open(SingleFolder);
            ExpectSameAsSafetensors(checkpoint);
        }
        finally
        {
            TorchBinFile.ChunkBytes = saved;
        }
    }

    [Test]
    public void Read_TargetDType_Converts()
    {
        using var checkpoint = TorchBinCheckpoint.Open(SingleFolder);
        using var half = checkpoint.Read("h.0.attn.c_attn.weight");
        using var asFloat = checkpoint.Read("h.0.attn.c_attn.weight", ScalarType.Float32);
        Assert.That(asFloat.dtype, Is.EqualTo(ScalarType.Float32));
        using var reference = half.to(ScalarType.Float32);
        Assert.That(BitEqual(asFloat, reference), Is.True);
    }

    [Test]
    public void Read_UnknownName_ThrowsNamingFolder()
    {
        using var checkpoint = TorchBinCheckpoint.Open(SingleFolder);
        var e = Assert.Throws<IclPruneException>(() => checkpoint.Read("nope"));
        Assert.That(e!.Message, Does.Contain("nope").And.Contain(SingleFolder));
    }

    [Test]
    public void CheckpointReader_BothFormats_PrefersSafetensors()
    {
        File.Copy(SingleFile, Path.Combine(_dir, "pytorch_model.bin"));
        File.Copy(Expected, Path.Combine(_dir, "model.safetensors"));
        using var checkpoint = CheckpointReader.Open(_dir);
        Assert.That(checkpoint.Format, Is.EqualTo(CheckpointFormat.Safetensors));
        Assert.That(checkpoint.FilePaths, Is.EqualTo(new[] { Path.Combine(_dir, "model.safetensors") }));
    }

    [Test]
    public void CheckpointReader_OnlyBin_FallsBackToBin()
    {
        File.Copy(SingleFile, Path.Combine(_dir, "pytorch_model.bin"));
        using var checkpoint = CheckpointReader.Open(_dir);
        Assert.That(checkpoint.Format, Is.EqualTo(CheckpointFormat.PyTorchBin));
        ExpectSameAsSafetensors(checkpoint);
    }

    [Test]
    public void CheckpointReader_NoWeights_ThrowsListingWhatItLookedFor()
    {
        var e = Assert.Throws<IclPruneException>(() => CheckpointReader.Open(_dir));
        Assert.That(e!.Message, Does.Contain(_dir).And.Contain("model.safetensors").And.Contain("pytorch_model.bin"));
    }

    [Test]
    public void Open_ParameterWrappedTensor_ReadAsItsData()
    {
        // state_dict(keep_vars=True) pickles nn.Parameter as _rebuild_parameter(tensor, requires_grad, OrderedDict()).
        var floats = new[] { 1.5f, -2f, 3f };
        string path = WriteZip(Path.Combine(_dir, "pytorch_model.bin"),
            Pickle("ccollections\nOrderedDict\n)R", Str("p"), "ctorch._utils\n_rebuild_parameter\n(",
                RebuildTensor(3, 0, [3], [1]), "\u0088ccollections\nOrderedDict\n)RtRs."),
            ("data/0", floats.SelectMany(BitConverter.GetBytes).ToArray()));
        using var file = TorchBinFile.Open(path);
        using var p = file.Read("p");
        using var expected = torch.tensor(floats);
        Assert.That(BitEqual(p, expected), Is.True);
    }

    [Test]
    public void Open_ZipWrittenByDotNet_ReadsArchivePrefix()
    {
        // A zip with the "archive/" folder torch uses when saving to a buffer, built by .NET's own writer.
        var floats = new[] { 1f, 2f, 3f, 4f, 5f, 6f };
        var bytes = floats.SelectMany(BitConverter.GetBytes).ToArray();
        string path = WriteZip(Path.Combine(_dir, "pytorch_model.bin"),
            OneTensorPickle("w", 6, 1, [2, 2], [1, 2]), ("data/0", bytes));
        using var file = TorchBinFile.Open(path);
        using var w = file.Read("w");
        using var expected = torch.tensor(new[] { 2f, 4f, 3f, 5f }).reshape(2, 2); // [i,j] = s[1 + i + 2j]
        Assert.That(BitEqual(w, expected), Is.True);
    }
}
