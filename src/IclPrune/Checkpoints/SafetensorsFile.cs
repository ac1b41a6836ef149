using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Checkpoints;

/// <summary>
/// One open .safetensors file: its validated header, and tensors read one at a time by positional reads straight
/// into a CPU tensor's memory, then moved to the target dtype and device. Peak extra memory is one tensor, so a 7B
/// fp16 model never needs twice its size in RAM.
/// </summary>
public sealed class SafetensorsFile : ICheckpointFile
{
    /// <summary>Bytes per read call; also keeps every span below int.MaxValue for tensors above 2 GB.</summary>
    internal static long ChunkBytes = 64L << 20;

    readonly SafeFileHandle _handle;

    SafetensorsFile(SafetensorsHeader header, SafeFileHandle handle)
    {
        Header = header;
        _handle = handle;
    }

    public SafetensorsHeader Header { get; }
    public string Path => Header.Path;
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries => Header.Entries;
    public IEnumerable<string> TensorNames => Entries.Keys;
    public bool Holds(string name) => Entries.ContainsKey(name);

    public CheckpointTensorInfo Describe(string name) => Entries.TryGetValue(name, out var entry)
        ? new CheckpointTensorInfo(name, entry.DType, entry.Shape)
        : throw new IclPruneException($"{Path}: no tensor '{name}'.");

    public static SafetensorsFile Open(string path)
    {
        var header = SafetensorsHeader.Read(path);
        return new SafetensorsFile(header, File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read));
    }

    /// <summary>Reads tensor <paramref name="name"/> into <paramref name="dtype"/> (null: as stored) on
    /// <paramref name="device"/> (null: CPU).</summary>
    public Tensor Read(string name, ScalarType? dtype = null, Device? device = null)
    {
        if (!Header.Entries.TryGetValue(name, out var entry))
            throw new IclPruneException($"{Path}: no tensor named '{name}'.");
        var cpu = torch.empty(entry.Shape, entry.DType, torch.CPU);
        try
        {
            Fill(cpu, entry);
        }
        catch
        {
            cpu.Dispose();
            throw;
        }
        var targetType = dtype ?? entry.DType;
        var targetDevice = device ?? torch.CPU;
        if (targetType == entry.DType && targetDevice.type == DeviceType.CPU)
            return cpu;
        using (cpu)
            return cpu.to(targetType, targetDevice);
    }

    void Fill(Tensor cpu, SafetensorsEntry entry)
    {
        if (entry.ByteLength == 0)
            return;
        int elementSize = (int)(entry.ByteLength / cpu.numel());
        long elementsPerChunk = Math.Max(1, ChunkBytes / elementSize);
        using var flat = cpu.view(-1);
        long total = flat.numel();
        for (long start = 0; start < total; start += elementsPerChunk)
        {
            long count = Math.Min(elementsPerChunk, total - start);
            using var chunk = flat.narrow(0, start, count);
            var span = chunk.bytes;
            long fileOffset = Header.DataStart + entry.Begin + start * elementSize;
            int done = 0;
            while (done < span.Length)
            {
                int read = RandomAccess.Read(_handle, span[done..], fileOffset + done);
                if (read == 0)
                    throw new IclPruneException($"{Path}: tensor '{entry.Name}' ends early (file truncated while reading).");
                done += read;
            }
        }
    }

    /// <summary>Raw bytes at an absolute file offset (header bytes, fingerprint samples).</summary>
    internal void ReadBytes(long fileOffset, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int read = RandomAccess.Read(_handle, destination[done..], fileOffset + done);
            if (read == 0)
                throw new IclPruneException($"{Path}: unexpected end of file at offset {fileOffset + done}.");
            done += read;
        }
    }

    public long Length => RandomAccess.GetLength(_handle);

    public void Dispose() => _handle.Dispose();
}
