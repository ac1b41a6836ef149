using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Checkpoints;

/// <summary>One tensor of a .bin state dict: its name and the storage view torch saved for it.</summary>
public sealed record TorchBinEntry(string Name, TorchTensorRef View)
{
    public ScalarType DType => View.Storage.Type.DType;
    public long[] Shape => View.Size;
}

/// <summary>
/// One open torch.save state dict (pytorch_model.bin or a shard of it). Opening reads the zip directory and the
/// pickle (through <see cref="RestrictedUnpickler"/>) and validates every tensor against its storage record; tensors
/// are then read one at a time, each storage's bytes straight from its zip entry into a CPU tensor, so a 12 GB file
/// never needs more than the model plus about one tensor. Storages shared by several tensors (tied weights, views)
/// are cached, one at a time, while consecutive reads use them. Not thread-safe.
/// </summary>
public sealed class TorchBinFile : ICheckpointFile
{
    /// <summary>Bytes per read call; also keeps every span below int.MaxValue for storages above 2 GB.</summary>
    internal static long ChunkBytes = 64L << 20;

    readonly TorchZipArchive _zip;
    readonly bool _bigEndian;
    readonly Dictionary<string, int> _storageUses;
    string? _cachedKey;
    Tensor? _cachedStorage;

    TorchBinFile(TorchZipArchive zip, bool bigEndian, Dictionary<string, TorchBinEntry> entries, Dictionary<string, int> storageUses)
    {
        _zip = zip;
        _bigEndian = bigEndian;
        Entries = entries;
        _storageUses = storageUses;
    }

    public string Path => _zip.Path;
    public IReadOnlyDictionary<string, TorchBinEntry> Entries { get; }
    public IEnumerable<string> TensorNames => Entries.Keys;
    public bool Holds(string name) => Entries.ContainsKey(name);

    public CheckpointTensorInfo Describe(string name) => Entries.TryGetValue(name, out var entry)
        ? new CheckpointTensorInfo(name, entry.DType, entry.Shape)
        : throw new IclPruneException($"{Path}: no tensor '{name}'.");

    public static TorchBinFile Open(string path)
    {
        var zip = TorchZipArchive.Open(path);
        try
        {
            bool bigEndian = ReadByteOrder(zip);
            var root = RestrictedUnpickler.Load($"{path} ({zip.Prefix}/data.pkl)", zip.ReadAll("data.pkl", RestrictedUnpickler.MaxPickleBytes));
            var entries = StateDictEntries(path, root);
            var uses = CheckStorages(zip, entries.Values);
            return new TorchBinFile(zip, bigEndian, entries, uses);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    static bool ReadByteOrder(TorchZipArchive zip)
    {
        if (!zip.Contains("byteorder"))
            return false; // torch 1.13 writes none (tests' real-torch/); without it the storages are little-endian
        string order = Encoding.ASCII.GetString(zip.ReadAll("byteorder", 16)).Trim();
        return order switch
        {
            "little" => false,
            "big" => true,
            _ => throw new IclPruneException($"{zip.Path}: entry '{zip.Prefix}/byteorder' is '{order}'; expected 'little' or 'big'."),
        };
    }

    /// <summary>The unpickled root must be a dict of tensors: what model.state_dict() saves.</summary>
    static Dictionary<string, TorchBinEntry> StateDictEntries(string path, object? root)
    {
        if (root is not PickleDict dict)
            throw new IclPruneException($"{path}: the pickle holds {RestrictedUnpickler.Describe(root)}, not a state dict (a dict of tensors).");
        var entries = new Dictionary<string, TorchBinEntry>(StringComparer.Ordinal);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name)
                throw new IclPruneException($"{path}: state dict key {RestrictedUnpickler.Describe(key)} is not a string.");
            if (value is not TorchTensorRef tensor)
                throw new IclPruneException($"{path}: state dict entry '{name}' is {RestrictedUnpickler.Describe(value)}, not a tensor.");
            entries[name] = new TorchBinEntry(name, tensor);
        }
        return entries;
    }

    /// <summary>Every storage the tensors use must be a data/&lt;key&gt; record of exactly numel x element size
    /// bytes, and one key must not be claimed with two types or sizes. Returns how many tensors use each storage.</summary>
    static Dictionary<string, int> CheckStorages(TorchZipArchive zip, IEnumerable<TorchBinEntry> entries)
    {
        var seen = new Dictionary<string, TorchStorageRef>(StringComparer.Ordinal);
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var storage = entry.View.Storage;
            uses[storage.Key] = uses.GetValueOrDefault(storage.Key) + 1;
            if (seen.TryGetValue(storage.Key, out var first))
            {
                if (first.Type != storage.Type || first.ElementCount != storage.ElementCount)
                    throw new IclPruneException($"{zip.Path}: storage '{storage.Key}' is {first.Type.ClassName}[{first.ElementCount}] " +
                                                $"for one tensor and {storage.Type.ClassName}[{storage.ElementCount}] for '{entry.Name}'.");
                continue;
            }
            seen[storage.Key] = storage;
            string record = $"data/{storage.Key}";
            if (!zip.Contains(record))
                throw new IclPruneException($"{zip.Path}: tensor '{entry.Name}' uses storage '{storage.Key}', but the zip has no entry '{zip.Prefix}/{record}'.");
            long expected = storage.ElementCount * storage.Type.ElementSize; // cannot overflow: checked in TorchRebuild
            long actual = zip.Length(record);
            if (actual != expected)
                throw new IclPruneException($"{zip.Path}: entry '{zip.Prefix}/{record}' is {actual} bytes, but tensor '{entry.Name}' " +
                                            $"says it holds {storage.ElementCount} x {storage.Type.ClassName} = {expected} bytes.");
        }
        return uses;
    }

    /// <summary>Reads tensor <paramref name="name"/> into <paramref name="dtype"/> (null: as stored) on
    /// <paramref name="device"/> (null: CPU). The result never shares memory with the cache.</summary>
    public Tensor Read(string name, ScalarType? dtype = null, Device? device = null)
    {
        if (!Entries.TryGetValue(name, out var entry))
            throw new IclPruneException($"{Path}: no tensor named '{name}'.");
        var view = entry.View;
        bool shared = _storageUses[view.Storage.Key] > 1;
        var storage = shared ? CachedStorage(view.Storage) : LoadStorage(view.Storage);
        Tensor cpu;
        try
        {
            if (!shared && IsWholeStorage(view))
                cpu = storage.view(view.Size); // shape [numel] -> size; shares the freshly read memory
            else
            {
                // as_strided honours offset and strides exactly as torch built the view; then copy out so the
                // result owns its memory (contiguous() copies only non-contiguous views, clone() the others).
                using var strided = storage.as_strided(view.Size, view.Stride, view.StorageOffset);
                cpu = strided.is_contiguous() ? strided.clone() : strided.contiguous();
            }
        }
        finally
        {
            if (!shared)
                storage.Dispose();
        }
        var targetType = dtype ?? entry.DType;
        var targetDevice = device ?? torch.CPU;
        if (targetType == entry.DType && targetDevice.type == DeviceType.CPU)
            return cpu;
        using (cpu)
            return cpu.to(targetType, targetDevice);
    }

    static bool IsWholeStorage(TorchTensorRef view)
    {
        if (view.StorageOffset != 0 || view.Size.Aggregate(1L, (a, d) => a * d) != view.Storage.ElementCount)
            return false;
        long expected = 1;
        for (int i = view.Size.Length - 1; i >= 0; i--)
        {
            if (view.Size[i] != 1 && view.Stride[i] != expected)
                return false;
            expected *= view.Size[i];
        }
        return true;
    }

    Tensor CachedStorage(TorchStorageRef storage)
    {
        if (_cachedKey != storage.Key)
        {
            _cachedStorage?.Dispose();
            _cachedStorage = null;
            _cachedKey = null;
            _cachedStorage = LoadStorage(storage);
            _cachedKey = storage.Key;
        }
        return _cachedStorage!;
    }

    /// <summary>The storage's bytes, chunk by chunk from its zip entry into a 1-d CPU tensor of its dtype.</summary>
    Tensor LoadStorage(TorchStorageRef storage)
    {
        var flat = torch.empty([storage.ElementCount], storage.Type.DType, torch.CPU);
        try
        {
            int size = storage.Type.ElementSize;
            long perChunk = Math.Max(1, ChunkBytes / size);
            _zip.ReadInto($"data/{storage.Key}", stream =>
            {
                for (long start = 0; start < storage.ElementCount; start += perChunk)
                {
                    using var chunk = flat.narrow(0, start, Math.Min(perChunk, storage.ElementCount - start));
                    var span = chunk.bytes;
                    stream.ReadExactly(span);
                    if (storage.Type.DType == ScalarType.Bool && span.IndexOfAnyExceptInRange((byte)0, (byte)1) >= 0)
                        throw new IclPruneException($"{Path}: entry '{_zip.Prefix}/data/{storage.Key}' is a BoolStorage with bytes other than 0 and 1.");
                    if (_bigEndian)
                        SwapToLittleEndian(span, size);
                }
            });
            return flat;
        }
        catch
        {
            flat.Dispose();
            throw;
        }
    }

    static void SwapToLittleEndian(Span<byte> span, int elementSize)
    {
        switch (elementSize)
        {
            case 2: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(span), MemoryMarshal.Cast<byte, ushort>(span)); break;
            case 4: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(span), MemoryMarshal.Cast<byte, uint>(span)); break;
            case 8: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(span), MemoryMarshal.Cast<byte, ulong>(span)); break;
        }
    }

    public void Dispose()
    {
        _cachedStorage?.Dispose();
        _zip.Dispose();
    }
}
