using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tests.Checkpoints;

/// <summary>The committed PyTorch-format files (TorchZip/, see make_torch_zip.py) and helpers to build bad ones.</summary>
static class TorchZipTestData
{
    public static string Folder => Path.Combine(TestContext.CurrentContext.TestDirectory, "Checkpoints", "TorchZip");
    public static string Expected => Path.Combine(Folder, "expected.safetensors");
    public static string SingleFolder => Path.Combine(Folder, "single");
    public static string SingleFile => Path.Combine(SingleFolder, "pytorch_model.bin");
    public static string Protocol4 => Path.Combine(Folder, "protocol4");
    public static string Sharded => Path.Combine(Folder, "sharded");

    /// <summary>Same dtype, shape and bytes (so NaN and -0 compare exactly too).</summary>
    public static bool BitEqual(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.SequenceEqual(b.shape))
            return false;
        using var ac = a.contiguous();
        using var bc = b.contiguous();
        return ac.bytes.SequenceEqual(bc.bytes);
    }

    /// <summary>Writes a torch.save-shaped zip: archive/data.pkl plus the given records, stored uncompressed.</summary>
    public static string WriteZip(string path, byte[] dataPkl, params (string Name, byte[] Bytes)[] records)
    {
        using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        void Add(string name, byte[] bytes)
        {
            var entry = zip.CreateEntry($"archive/{name}", CompressionLevel.NoCompression);
            using var s = entry.Open();
            s.Write(bytes);
        }
        Add("data.pkl", dataPkl);
        foreach (var (name, bytes) in records)
            Add(name, bytes);
        Add("version", "3\n"u8.ToArray());
        return path;
    }

    /// <summary>Builds protocol-2 pickle bytes from readable pieces: strings are written as given (Latin-1), byte
    /// arrays verbatim.</summary>
    public static byte[] Pickle(params object[] parts)
    {
        var bytes = new List<byte> { 0x80, 0x02 };
        foreach (var part in parts)
            bytes.AddRange(part is string s ? s.Select(c => (byte)c) : (byte[])part);
        return bytes.ToArray();
    }

    /// <summary>BINUNICODE of <paramref name="text"/>.</summary>
    public static byte[] Str(string text)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        return [(byte)'X', .. BitConverter.GetBytes(utf8.Length), .. utf8];
    }

    /// <summary>A state dict {name: tensor} with one FloatStorage tensor, as torch.save pickles it.</summary>
    public static byte[] OneTensorPickle(string name, long storageNumel, long offset, long[] size, long[] stride,
        string storageType = "FloatStorage") =>
        Pickle("ccollections\nOrderedDict\n)R", Str(name), RebuildTensor(storageNumel, offset, size, stride, storageType), "s.");

    /// <summary>The opcodes of _rebuild_tensor_v2((storage '0'), offset, size, stride, False, OrderedDict()), REDUCEd.</summary>
    public static byte[] RebuildTensor(long storageNumel, long offset, long[] size, long[] stride, string storageType = "FloatStorage") =>
        Pickle("ctorch._utils\n_rebuild_tensor_v2\n((", Str("storage"), $"ctorch\n{storageType}\n", Str("0"), Str("cpu"),
            Long(storageNumel), "tQ", Long(offset), Tuple(size), Tuple(stride), "\u0089ccollections\nOrderedDict\n)RtR")[2..];

    static byte[] Long(long value) => [(byte)'J', .. BitConverter.GetBytes((int)value)];

    static byte[] Tuple(long[] values) => [(byte)'(', .. values.SelectMany(Long), (byte)'t'];
}
