using System.Buffers.Binary;
using System.Text;
using IclPrune.Checkpoints;
using IclPrune.Runtime;
using static IclPrune.Tests.Checkpoints.TorchZipTestData;

namespace IclPrune.Tests.Checkpoints;

/// <summary>
/// Hostile and broken .bin files: each must fail with an IclPruneException that names the file and what is wrong,
/// never run code, crash or hang.
/// </summary>
public sealed class TorchBinRefusalTests
{
    const string Marker = "icl_prune_pickle_ran_code"; // what evil/*.bin would create if their payload ran
    string _dir = "";

    [OneTimeSetUp]
    public void InitTorch() => TorchRuntime.EnsureInitialized();

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("bin-refusal-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    static IclPruneException Refused(string path, params string[] fragments)
    {
        var e = Assert.Throws<IclPruneException>(() => TorchBinFile.Open(path).Dispose());
        Assert.That(e!.Message, Does.Contain(path));
        foreach (var f in fragments)
            Assert.That(e.Message, Does.Contain(f));
        return e;
    }

    string Zip(byte[] pickle, params (string, byte[])[] records) =>
        WriteZip(Path.Combine(_dir, "pytorch_model.bin"), pickle, records);

    [TestCase("os_system", "posix.system")]
    [TestCase("builtins_eval", "__builtin__.eval")] // protocol 2 writes Python 2 module names
    public void Open_PickleCallingCode_RefusedNamingTheGlobalAndNothingRuns(string file, string global)
    {
        string path = Path.Combine(Folder, "evil", file + ".bin");
        Refused(path, $"global '{global}' is not allowed");
        Assert.That(File.Exists(Marker), Is.False, "payload ran in the working directory");
        Assert.That(File.Exists(Path.Combine(TestContext.CurrentContext.TestDirectory, Marker)), Is.False);
    }

    [Test]
    public void Open_GlobalOsSystem_Refused() =>
        Refused(Zip(Pickle("cos\nsystem\n", Str("touch " + Marker), "\u0085R.")), "global 'os.system' is not allowed", "byte 2");

    [Test]
    public void Open_StackGlobalGetattr_Refused() =>
        Refused(Zip(Pickle("\u008c\u0008builtins\u008c\u0007getattr\u0093.")), "global 'builtins.getattr' is not allowed");

    [Test]
    public void Open_ReduceOnStorageClass_Refused() =>
        Refused(Zip(Pickle("ctorch\nFloatStorage\n)R.")), "REDUCE on 'torch.FloatStorage', which is not an allowed callable");

    [Test]
    public void Open_ReduceOnString_Refused() =>
        Refused(Zip(Pickle(Str("os.system"), ")R.")), "REDUCE on str 'os.system'");

    [TestCase("(ios\nsystem\n.", "INST")]
    [TestCase("ccollections\nOrderedDict\n)\u0081.", "NEWOBJ")]
    [TestCase("S'x'\n.", "STRING")]
    [TestCase("}(ccollections\nOrderedDict\no.", "OBJ")]
    public void Open_OpcodeAStateDictNeverUses_RefusedNamingIt(string body, string opcode) =>
        Refused(Zip(Pickle(body)), $"opcode {opcode}", "not one a state dict uses");

    [Test]
    public void Open_BuildOnList_Refused() => Refused(Zip(Pickle("]}b.")), "BUILD on a List");

    [Test]
    public void Open_PickleWithoutStop_Refused() => Refused(Zip(Pickle("}")), "ends before STOP");

    [Test]
    public void Open_MemoGetNeverPut_Refused() => Refused(Zip(Pickle("h\u0005.")), "memo index 5 was never stored");

    [Test]
    public void Open_StringLengthPastEnd_Refused() =>
        Refused(Zip(Pickle("X\u00ff\u00ff\u00ff\u007f.")), "runs past the end of the pickle");

    [Test]
    public void Open_RootNotADict_Refused() => Refused(Zip(Pickle("K\u0005.")), "holds int 5, not a state dict");

    [Test]
    public void Open_ValueNotATensor_Refused() =>
        Refused(Zip(Pickle("}", Str("w"), "K\u0005s.")), "entry 'w' is int 5, not a tensor");

    [Test]
    public void Open_PersistentIdNotAStorageTuple_Refused() =>
        Refused(Zip(Pickle(Str("storage"), "\u0085Q.")), "persistent id a tuple of 1");

    [Test]
    public void Open_ViewBeyondStorage_RefusedBeforeReadingData() =>
        Refused(Zip(OneTensorPickle("w", 4, 0, [10], [1]), ("data/0", new byte[16])),
            "reaches element 9 of storage '0', which has 4");

    [Test]
    public void Open_ViewOffsetBeyondStorage_Refused() =>
        Refused(Zip(OneTensorPickle("w", 4, 3, [2, 2], [2, 1]), ("data/0", new byte[16])), "reaches element 6");

    [Test]
    public void Open_ViewSizeOverflows_Refused() =>
        Refused(Zip(OneTensorPickle("w", 4, 0, [1 << 30, 1 << 30, 1 << 30], [1, 1, 1]), ("data/0", new byte[16])), "overflows");

    [Test]
    public void Open_SizeAndStrideRanksDiffer_Refused() =>
        Refused(Zip(OneTensorPickle("w", 4, 0, [2, 2], [1]), ("data/0", new byte[16])), "size has 2 dimensions but stride has 1");

    [Test]
    public void Open_StorageRecordShorterThanPickleSays_RefusedNamingEntry() =>
        Refused(Zip(OneTensorPickle("w", 4, 0, [4], [1]), ("data/0", new byte[8])),
            "entry 'archive/data/0' is 8 bytes", "4 x FloatStorage = 16 bytes");

    [Test]
    public void Open_StorageRecordMissing_RefusedNamingEntry() =>
        Refused(Zip(OneTensorPickle("w", 4, 0, [4], [1])), "no entry 'archive/data/0'");

    [Test]
    public void Read_BoolStorageWithByteTwo_Refused()
    {
        string path = Zip(OneTensorPickle("m", 3, 0, [3], [1], "BoolStorage"), ("data/0", new byte[] { 1, 2, 0 }));
        using var file = TorchBinFile.Open(path);
        var e = Assert.Throws<IclPruneException>(() => file.Read("m").Dispose());
        Assert.That(e!.Message, Does.Contain(path).And.Contain("bytes other than 0 and 1"));
    }

    [Test]
    public void Open_LegacyPickleFormat_RefusedAsUnsupportedLegacy() =>
        Refused(Path.Combine(Folder, "legacy.bin"), "unsupported legacy format", "PyTorch < 1.6");

    [Test]
    public void Open_NotAZip_Refused()
    {
        string path = Path.Combine(_dir, "x.bin");
        File.WriteAllText(path, "hello, not a checkpoint");
        Refused(path, "not a PyTorch zip checkpoint");
    }

    [Test]
    public void Open_ZipWithoutDataPkl_Refused()
    {
        string path = Path.Combine(_dir, "x.bin");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
            zip.CreateEntry("archive/version");
        Refused(path, "expected one '<archive>/data.pkl' entry", "found 0");
    }

    [Test]
    public void Open_TruncatedAnywhere_AlwaysAClearError()
    {
        var bytes = File.ReadAllBytes(SingleFile);
        string path = Path.Combine(_dir, "cut.bin");
        for (int length = 0; length < bytes.Length; length += 61)
        {
            File.WriteAllBytes(path, bytes[..length]);
            var e = Assert.Throws<IclPruneException>(() => TorchBinFile.Open(path).Dispose(), $"cut at {length}");
            Assert.That(e!.Message, Does.Contain(path), $"cut at {length}");
        }
    }

    // --- zips whose directory lies: patch the central directory record of one entry of the committed file ---

    string Patched(string entry, int fieldOffset, uint value)
    {
        var bytes = File.ReadAllBytes(SingleFile);
        var name = Encoding.ASCII.GetBytes($"pytorch_model/{entry}");
        int at = CentralRecord(bytes, name);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + fieldOffset), value);
        string path = Path.Combine(_dir, "pytorch_model.bin");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Offset of the central directory header (signature PK\1\2) whose file name is <paramref name="name"/>.</summary>
    static int CentralRecord(byte[] zip, byte[] name)
    {
        for (int i = 0; i + 46 + name.Length <= zip.Length; i++)
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2
                && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28)) == name.Length
                && zip.AsSpan(i + 46, name.Length).SequenceEqual(name))
                return i;
        throw new AssertionException($"no central record for {Encoding.ASCII.GetString(name)}");
    }

    const int CompressedSize = 20, UncompressedSize = 24, LocalHeaderOffset = 42;

    [Test]
    public void Open_DirectoryClaimsMoreBytesThanFile_RefusedNamingEntry()
    {
        string both = Path.Combine(_dir, "both.bin");
        var data = File.ReadAllBytes(SingleFile);
        int at = CentralRecord(data, "pytorch_model/data/0"u8.ToArray());
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + CompressedSize), 0x7fff_0000);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + UncompressedSize), 0x7fff_0000);
        File.WriteAllBytes(both, data);
        var e = Assert.Throws<IclPruneException>(() => TorchBinFile.Open(both).Dispose());
        Assert.That(e!.Message, Does.Contain(both).And.Contain("pytorch_model/data/0").And.Contain("more than the"));
    }

    [Test]
    public void Open_DirectorySizeDisagreesWithPickle_RefusedNamingEntry()
    {
        // data/0 holds the 8x4 floats of wte (128 bytes); the directory says 132 and the entry is "stored".
        var data = File.ReadAllBytes(SingleFile);
        int at = CentralRecord(data, "pytorch_model/data/0"u8.ToArray());
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + CompressedSize), 132);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + UncompressedSize), 132);
        string path = Path.Combine(_dir, "pytorch_model.bin");
        File.WriteAllBytes(path, data);
        Refused(path, "entry 'pytorch_model/data/0' is 132 bytes", "= 128 bytes");
    }

    [Test]
    public void Open_CompressedSizeDiffersFromSize_RefusedAsCompressed() =>
        Refused(Patched("data/0", CompressedSize, 64), "'pytorch_model/data/0' is compressed");

    [Test]
    public void Read_LocalHeaderOffsetWrong_ClearErrorNamingEntry()
    {
        string path = Patched("data/0", LocalHeaderOffset, 7);
        var e = Assert.Throws<IclPruneException>(() =>
        {
            using var file = TorchBinFile.Open(path);
            file.Read("wte.weight").Dispose();
        });
        Assert.That(e!.Message, Does.Contain(path).And.Contain("pytorch_model/data/0"));
    }

    [Test]
    public void OpenAndRead_RandomByteCorruption_SucceedsOrClearError()
    {
        // Seeded fuzzing: corrupt 1-4 random bytes anywhere (pickle, headers, directory, data) 400 times (20,000 passed
        // once by hand; the first run found ZipArchive reading its directory lazily, outside our catch). Each
        // outcome must be a normal load (data bytes changed) or an IclPruneException naming the file; any other
        // exception, a crash or a hang fails the test.
        var original = File.ReadAllBytes(SingleFile);
        var random = new Random(20261122);
        string path = Path.Combine(_dir, "pytorch_model.bin");
        int refused = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            var bytes = (byte[])original.Clone();
            int flips = random.Next(1, 5);
            for (int i = 0; i < flips; i++)
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            File.WriteAllBytes(path, bytes);
            try
            {
                using var file = TorchBinFile.Open(path);
                foreach (var name in file.Entries.Keys)
                    file.Read(name).Dispose();
            }
            catch (IclPruneException e)
            {
                Assert.That(e.Message, Does.Contain(path), $"trial {trial}");
                refused++;
            }
        }
        Assert.That(refused, Is.GreaterThan(0), "corruption never detected: the fuzzer is not reaching the parser");
    }
}
