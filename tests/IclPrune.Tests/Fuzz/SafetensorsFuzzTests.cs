using System.Text;
using IclPrune.Checkpoints;
using IclPrune.Tests.Evaluation;

namespace IclPrune.Tests.Fuzz;

/// <summary>
/// Malformed .safetensors files, generated from one valid two-tensor file by replacing one part at a time (a field's
/// value, an entry, the root, the header length, the data section). Every case is malformed by construction (the
/// reference implementation rejects it too), so each must end in a clear error naming the file.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class SafetensorsFuzzTests
{
    const string Dtype = "\"F32\"", Shape = "[2,2]", Offsets = "[0,16]";
    const string TensorB = """{"dtype":"F16","shape":[3],"data_offsets":[16,22]}""";
    const string Metadata = """{"format":"pt"}""";
    const int DataBytes = 22;

    /// <summary>Values no field of a tensor entry accepts here (each field's valid values are not among them).</summary>
    static readonly string[] WrongValues =
    [
        "\"x\"", "null", "1", "-1", "1.5", "true", "[]", "{}", "[\"0\",\"16\"]", "[null,16]", "[0,null]", "[0]", "[0,16,32]",
        "[16,0]", "[-1,15]", "[0,17]", "[0,1e3]", "[0.0,16.0]", "[0,99999999999999999999]", "\"0,16\"",
    ];

    static string Entry(string dtype = Dtype, string shape = Shape, string offsets = Offsets) =>
        $$"""{"dtype":{{dtype}},"shape":{{shape}},"data_offsets":{{offsets}}}""";

    static string Header(string? a = null, string b = TensorB, string metadata = Metadata) =>
        $$"""{"__metadata__":{{metadata}},"a":{{a ?? Entry()}},"b":{{b}}}""";

    /// <summary>8-byte length, the header padded with 8 spaces (as writers pad to alignment), then the data.</summary>
    static byte[] File(byte[] header, long? declaredLength = null, int dataBytes = DataBytes)
    {
        var padded = header.Concat(Enumerable.Repeat((byte)' ', 8)).ToArray();
        var bytes = new List<byte>(BitConverter.GetBytes((ulong)(declaredLength ?? padded.Length)));
        bytes.AddRange(padded);
        bytes.AddRange(Enumerable.Range(0, dataBytes).Select(i => (byte)(i * 37)));
        return bytes.ToArray();
    }

    static byte[] File(string header, long? declaredLength = null, int dataBytes = DataBytes) =>
        File(Encoding.UTF8.GetBytes(header), declaredLength, dataBytes);

    static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, byte[] bytes) => new TestCaseData(bytes).SetName($"Open_{name}_Rejected");

        int n = 0;
        foreach (string value in WrongValues)
        {
            n++;
            yield return Case($"DtypeIs{n}", File(Header(Entry(dtype: value))));
            yield return Case($"ShapeIs{n}", File(Header(Entry(shape: value))));
            yield return Case($"OffsetsAre{n}", File(Header(Entry(offsets: value))));
            yield return Case($"EntryIs{n}", File(Header(a: value)));
            if (value is not "{}")
                yield return Case($"MetadataIs{n}", File(Header(metadata: value)));
        }
        yield return Case("DtypeMissing", File(Header("""{"shape":[2,2],"data_offsets":[0,16]}""")));
        yield return Case("ShapeMissing", File(Header("""{"dtype":"F32","data_offsets":[0,16]}""")));
        yield return Case("OffsetsMissing", File(Header("""{"dtype":"F32","shape":[2,2]}""")));
        yield return Case("UnknownDtype", File(Header(Entry(dtype: "\"F128\""))));
        yield return Case("MetadataValueNumber", File(Header(metadata: """{"format":1}""")));

        foreach (var (name, root) in new[]
                 {
                     ("RootArray", "[]"), ("RootString", "\"x\""), ("RootNumber", "1"), ("RootNull", "null"), ("RootTrue", "true"),
                     ("RootEmpty", ""), ("RootOpenBrace", "{"), ("RootCutValue", "{\"a\":"), ("RootTrailingComma", "{\"a\":1,}"),
                     ("DuplicateTensor", $$"""{"a":{{Entry()}},"a":{{Entry()}}}"""),
                 })
            yield return Case(name, File(root));

        // A key or a metadata value that is not UTF-8 (bytes 0xff 0xfe), as raw bytes inside the JSON string.
        byte[] Splice(string before, string after) =>
            Encoding.UTF8.GetBytes(before).Concat(new byte[] { 0xff, 0xfe }).Concat(Encoding.UTF8.GetBytes(after)).ToArray();
        yield return Case("KeyNotUtf8", File(Splice("{\"a", $"\":{Entry()},\"b\":{TensorB}}}")));
        yield return Case("MetadataNotUtf8", File(Splice("{\"__metadata__\":{\"format\":\"p", $"\"}},\"a\":{Entry()},\"b\":{TensorB}}}")));

        // The data section must be tiled exactly: gaps, overlaps, a short or long data section.
        yield return Case("GapBetweenTensors", File(Header(b: """{"dtype":"F16","shape":[3],"data_offsets":[18,24]}"""), dataBytes: 24));
        yield return Case("OverlappingTensors", File(Header(b: """{"dtype":"F16","shape":[3],"data_offsets":[14,20]}"""), dataBytes: 20));
        yield return Case("SameRangeTwice", File(Header(b: """{"dtype":"F32","shape":[4],"data_offsets":[0,16]}"""), dataBytes: 16));
        yield return Case("GapAtStart", File(Header(Entry(offsets: "[2,18]"), """{"dtype":"F16","shape":[3],"data_offsets":[18,24]}"""), dataBytes: 24));
        foreach (int delta in new[] { -22, -6, -1, 1, 8 })
            yield return Case($"DataSection{(delta < 0 ? "Short" : "Long")}By{Math.Abs(delta)}", File(Header(), dataBytes: DataBytes + delta));

        // The header length: cut (the silent wrong result of issue 17: JSON still parses, every tensor shifts),
        // extended into the data, past the end, absurd.
        int length = Encoding.UTF8.GetByteCount(Header()) + 8;
        foreach (int delta in new[] { -1, -2, -3, -4, -5, -7, 1, 2, 4, 9 })
            yield return Case($"HeaderLength{(delta < 0 ? "Cut" : "Extended")}By{Math.Abs(delta)}", File(Header(), length + delta));
        foreach (var (name, declared) in new[] { ("Zero", 0L), ("PastEnd", 4096L), ("Huge", long.MaxValue), ("AllOnes", -1L), ("AboveLimit", SafetensorsHeader.MaxHeaderBytes + 1) })
            yield return Case($"HeaderLength{name}", File(Header(), declared));

        // Truncated files.
        byte[] valid = File(Header());
        foreach (int keep in new[] { 0, 3, 7, 8, 20, length + 8 - 1, valid.Length - 1 })
            yield return Case($"TruncatedTo{keep}Bytes", valid[..keep]);
    }

    [Test]
    public void Open_TheUnmutatedFile_IsAccepted()
    {
        // The cases fail because of their one change, not because the base file was already wrong.
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "model.safetensors");
        System.IO.File.WriteAllBytes(path, File(Header()));
        using var file = SafetensorsFile.Open(path);
        Assert.That(file.TensorNames, Is.EquivalentTo(new[] { "a", "b" }));
    }

    [TestCaseSource(nameof(Cases))]
    public void Open_Malformed_Rejected(byte[] bytes)
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "model.safetensors");
        System.IO.File.WriteAllBytes(path, bytes);
        FuzzOutcome.ExpectRejected(() => SafetensorsFile.Open(path), mustName: path);
    }
}
