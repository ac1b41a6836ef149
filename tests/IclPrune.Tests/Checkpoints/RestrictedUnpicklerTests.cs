using System.IO.Compression;
using IclPrune.Checkpoints;
using static IclPrune.Tests.Checkpoints.TorchZipTestData;

namespace IclPrune.Tests.Checkpoints;

/// <summary>The opcode machine on its own: values, and arbitrary corruption of a real data.pkl.</summary>
public sealed class RestrictedUnpicklerTests
{
    static object? Load(params object[] parts) => RestrictedUnpickler.Load("test.pkl", Pickle(parts));

    [Test]
    public void Load_IntegerOpcodes_DecodeAsPython()
    {
        // (BININT1 200, BININT2 65535, BININT -2, LONG1 -1 (one byte ff), LONG1 2^40, LONG1 0 (no bytes))
        var tuple = (object?[])Load("(K\u00c8M\u00ff\u00ffJ\u00fe\u00ff\u00ff\u00ff\u008a\u0001\u00ff\u008a\u0006\0\0\0\0\0\u0001\u008a\u0000t.")!;
        Assert.That(tuple, Is.EqualTo(new object[] { 200L, 65535L, -2L, -1L, 1L << 40, 0L }));
    }

    [Test]
    public void Load_BinFloatAndStrings_Decoded()
    {
        // BINFLOAT is big-endian: 0x3FF8000000000000 = 1.5
        var tuple = (object?[])Load("G\u003f\u00f8\0\0\0\0\0\0", Str("h\u00e9"), "\u008c\u0001x\u0087.")!;
        Assert.That(tuple, Is.EqualTo(new object[] { 1.5, "h\u00e9", "x" }));
    }

    [Test]
    public void Load_DictWithMemoizedValues_SharesTheObject()
    {
        // {'a': [], 'b': <same list>} via BINPUT/BINGET; lists take APPENDS.
        var dict = (PickleDict)Load("}q\u0000(", Str("a"), "]q\u0001(K\u0001K\u0002e", Str("b"), "h\u0001u.")!;
        Assert.That(dict.Items.Select(i => i.Key), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(dict.Items[0].Value, Is.SameAs(dict.Items[1].Value));
        Assert.That((List<object?>)dict.Items[0].Value!, Is.EqualTo(new object[] { 1L, 2L }));
    }

    [Test]
    public void Load_ValuesLeftOnStack_Refused()
    {
        var e = Assert.Throws<IclPruneException>(() => Load("K\u0001K\u0002."));
        Assert.That(e!.Message, Does.Contain("test.pkl").And.Contain("STOP with values left"));
    }

    [Test]
    public void Load_RandomCorruptionOfRealPickle_ValueOrClearError()
    {
        // 3,000 seeded mutations (1-3 bytes, or a cut) of the sample's data.pkl: only values or IclPruneException.
        byte[] original;
        using (var zip = ZipFile.OpenRead(SingleFile))
        using (var s = zip.GetEntry("pytorch_model/data.pkl")!.Open())
        using (var copy = new MemoryStream())
        {
            s.CopyTo(copy);
            original = copy.ToArray();
        }
        var random = new Random(7);
        int refused = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            var bytes = (byte[])original.Clone();
            if (trial % 10 == 0)
                bytes = bytes[..random.Next(bytes.Length)];
            else
                for (int i = random.Next(1, 4); i > 0; i--)
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            try
            {
                RestrictedUnpickler.Load("fuzz.pkl", bytes);
            }
            catch (IclPruneException e)
            {
                Assert.That(e.Message, Does.StartWith("fuzz.pkl: "), $"trial {trial}");
                refused++;
            }
        }
        Assert.That(refused, Is.GreaterThan(1000));
    }
}
