using System.IO.Compression;

namespace IclPrune.Checkpoints;

/// <summary>
/// The container of a torch.save file (PyTorch >= 1.6, caffe2/serialize/inline_container.cc): a zip whose entries
/// all sit in one top-level folder (the file stem, or "archive"): data.pkl (the pickled object), byteorder
/// ("little"/"big", absent before PyTorch 1.10: little), version, and data/&lt;key&gt; raw storages. Entries are
/// stored, not compressed. Opening reads only the central directory; entry bytes are read on demand.
/// </summary>
public sealed class TorchZipArchive : IDisposable
{
    readonly FileStream _stream;
    readonly ZipArchive _zip;
    readonly Dictionary<string, ZipArchiveEntry> _entries;

    TorchZipArchive(string path, FileStream stream, ZipArchive zip, string prefix, Dictionary<string, ZipArchiveEntry> entries)
    {
        Path = path;
        _stream = stream;
        _zip = zip;
        Prefix = prefix;
        _entries = entries;
    }

    public string Path { get; }

    /// <summary>The top-level folder of every record ("pytorch_model" for pytorch_model.bin).</summary>
    public string Prefix { get; }

    public static TorchZipArchive Open(string path)
    {
        if (!File.Exists(path))
            throw new IclPruneException($"PyTorch checkpoint {path} does not exist.");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            CheckMagic(path, stream);
            ZipArchive? zip = null;
            try
            {
                zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
                var (prefix, entries) = IndexEntries(path, zip.Entries); // reads the central directory
                return new TorchZipArchive(path, stream, zip, prefix, entries);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or ArgumentException)
            {
                zip?.Dispose();
                throw new IclPruneException($"{path}: not a readable zip archive, truncated or corrupt ({e.Message}).", e);
            }
            catch
            {
                zip?.Dispose();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Records by name relative to the one top-level folder that holds data.pkl.</summary>
    static (string Prefix, Dictionary<string, ZipArchiveEntry> Entries) IndexEntries(string path, IReadOnlyCollection<ZipArchiveEntry> all)
    {
        var pickles = all.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)
                                     && e.FullName.Count(c => c == '/') == 1).ToList();
        if (pickles.Count != 1)
            throw new IclPruneException($"{path}: expected one '<archive>/data.pkl' entry in the zip, found {pickles.Count}; " +
                                        "not a torch.save checkpoint.");
        string prefix = pickles[0].FullName[..pickles[0].FullName.IndexOf('/')];
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in all)
        {
            if (!entry.FullName.StartsWith(prefix + "/", StringComparison.Ordinal))
                throw new IclPruneException($"{path}: entry '{entry.FullName}' is outside the archive folder '{prefix}/'.");
            if (!entries.TryAdd(entry.FullName[(prefix.Length + 1)..], entry))
                throw new IclPruneException($"{path}: entry '{entry.FullName}' appears twice.");
        }
        return (prefix, entries);
    }

    /// <summary>A torch.save zip starts with a local file header; the pre-1.6 format starts with a pickle.</summary>
    static void CheckMagic(string path, FileStream stream)
    {
        Span<byte> magic = stackalloc byte[4];
        int read = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read >= 1 && magic[0] == 0x80)
            throw new IclPruneException($"{path}: unsupported legacy format: this is a pre-zip torch.save file " +
                                        "(PyTorch < 1.6, or _use_new_zipfile_serialization=False). Re-save it with PyTorch >= 1.6 " +
                                        "(torch.save(torch.load(f), f2)) or get the model's safetensors weights.");
        if (read < 4 || magic[0] != (byte)'P' || magic[1] != (byte)'K' || magic[2] != 3 || magic[3] != 4)
            throw new IclPruneException($"{path}: not a PyTorch zip checkpoint (does not start with a zip header; " +
                                        $"first bytes {Convert.ToHexString(magic[..read])}).");
    }

    public bool Contains(string record) => _entries.ContainsKey(record);

    /// <summary>The uncompressed size of <paramref name="record"/>, after checking it is stored uncompressed
    /// (torch never compresses; a size mismatch means the directory lies).</summary>
    public long Length(string record)
    {
        var entry = Entry(record);
        if (entry.CompressedLength != entry.Length)
            throw new IclPruneException($"{Path}: entry '{entry.FullName}' is compressed ({entry.CompressedLength} bytes for " +
                                        $"{entry.Length}); torch.save stores records uncompressed.");
        if (entry.Length > _stream.Length)
            throw new IclPruneException($"{Path}: entry '{entry.FullName}' claims {entry.Length} bytes, more than the " +
                                        $"{_stream.Length}-byte file.");
        return entry.Length;
    }

    /// <summary>A small record read whole (data.pkl, byteorder, version), at most <paramref name="maxBytes"/>.</summary>
    public byte[] ReadAll(string record, long maxBytes)
    {
        long length = Length(record);
        if (length > maxBytes)
            throw new IclPruneException($"{Path}: entry '{Prefix}/{record}' is {length} bytes, above the {maxBytes}-byte limit for it.");
        var bytes = new byte[length];
        ReadInto(record, stream => stream.ReadExactly(bytes));
        return bytes;
    }

    /// <summary>Streams <paramref name="record"/> to <paramref name="read"/>, which must consume exactly its
    /// length; a record that ends early, runs long or fails its CRC becomes an error naming file and entry.</summary>
    public void ReadInto(string record, Action<Stream> read)
    {
        var entry = Entry(record);
        try
        {
            using var stream = entry.Open();
            read(stream);
            if (stream.ReadByte() != -1)
                throw new IclPruneException($"{Path}: entry '{entry.FullName}' holds more bytes than its size {entry.Length}.");
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new IclPruneException($"{Path}: entry '{entry.FullName}' cannot be read: truncated or corrupt ({e.Message}).", e);
        }
    }

    ZipArchiveEntry Entry(string record) =>
        _entries.TryGetValue(record, out var entry)
            ? entry
            : throw new IclPruneException($"{Path}: the zip has no entry '{Prefix}/{record}'.");

    public void Dispose()
    {
        _zip.Dispose();
        _stream.Dispose();
    }
}
