using System.Text;
using IclPrune.Checkpoints;
using IclPrune.Tests.Evaluation;
using static IclPrune.Tests.Checkpoints.TorchZipTestData;

namespace IclPrune.Tests.Fuzz;

/// <summary>
/// pytorch_model.bin files whose data.pkl is valid pickle but no state dict, or is built to exhaust memory (issue 17:
/// a 16 MB pickle of empty dicts took 2.9 GB before it was refused), or whose zip is broken; read through the real
/// <see cref="TorchBinFile"/>. (Random byte corruption of a real data.pkl is RestrictedUnpicklerTests' 3,000 trials.)
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class PickleFuzzTests
{
    static byte[] Repeat(string unit, int times)
    {
        var bytes = Encoding.Latin1.GetBytes(unit);
        var result = new byte[bytes.Length * times];
        for (int i = 0; i < times; i++) bytes.CopyTo(result, i * bytes.Length);
        return result;
    }

    static byte[] MemoSpam(int entries)
    {
        var bytes = new List<byte> { (byte)'}' };
        for (int i = 0; i < entries; i++) bytes.AddRange([(byte)'r', .. BitConverter.GetBytes(i)]);
        return [.. bytes, (byte)'.'];
    }

    static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, byte[] pickle) => new TestCaseData(pickle).SetName($"Open_{name}_Rejected");

        yield return Case("SixteenMegabytesOfEmptyDicts", Pickle(Repeat("}", 16 << 20), "."));
        yield return Case("TwoMillionAppends", Pickle("]", Repeat("K\u0001a", 2_000_000), "."));
        yield return Case("MillionItemSetItems", Pickle("}(", Repeat("K\u0001K\u0002", 1_000_000), "u."));
        yield return Case("FourMillionMarks", Pickle(Repeat("(", 4_000_000), "."));
        yield return Case("TwoHundredThousandMemoEntries", Pickle(MemoSpam(200_000)));
        yield return Case("DeeplyNestedTuples", Pickle(Repeat(")\u0085", 600_000), "."));
        foreach (var (name, root) in new[]
                 {
                     ("RootList", "]."), ("RootNone", "N."), ("RootInt", "K\u0005."), ("RootTuple", ")."), ("RootTrue", "\u0088."),
                     ("IntKey", "}K\u0001K\u0002s."), ("IntValue", "}\u008c\u0001aK\u0002s."), ("NoStop", "}"), ("Empty", ""),
                     ("StopOnEmptyStack", "."), ("DictOfLists", "}\u008c\u0001a]s."), ("UnknownOpcode", "}\u00ff."),
                 })
            yield return Case(name, Pickle(root));
    }

    [TestCaseSource(nameof(Cases))]
    public void Open_MaliciousOrWrongPickle_Rejected(byte[] pickle)
    {
        using var folder = new TempFolder();
        string path = WriteZip(Path.Combine(folder.Path, "pytorch_model.bin"), pickle);
        FuzzOutcome.ExpectRejected(() => TorchBinFile.Open(path), mustName: path);
    }

    [Test]
    public void Load_SixteenMegabytesOfEmptyDicts_RefusedWithinBoundedMemory()
    {
        var pickle = Pickle(Repeat("}", 16 << 20), ".");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<IclPruneException>(() => RestrictedUnpickler.Load("dicts.pkl", pickle));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(e!.Message, Does.Contain($"more than {RestrictedUnpickler.MaxValues} values"));
        // Issue 17 measured 2.9 GB for this file; the value bound keeps it to about MaxValues small objects.
        Assert.That(allocated, Is.LessThan(300L << 20), $"allocated {allocated >> 20} MB");
    }

    [TestCase("PK\u0003\u0004 not really a zip", TestName = "Open_ZipMagicThenNoise_Rejected")]
    [TestCase("", TestName = "Open_EmptyFile_Rejected")]
    [TestCase("\u0080\u0002}q\u0000.", TestName = "Open_LegacyPickleWithoutTensors_Rejected")]
    public void Open_NotATorchZip_Rejected(string content)
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "pytorch_model.bin");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes(content));
        FuzzOutcome.ExpectRejected(() => TorchBinFile.Open(path), mustName: path);
    }
}
