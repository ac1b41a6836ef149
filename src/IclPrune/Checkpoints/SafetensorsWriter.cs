using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Checkpoints;

/// <summary>
/// Writes tensors in the safetensors format, atomically: into a temporary file beside the target, renamed over it
/// at the end, so a crash never leaves a half-written checkpoint under the real name. Used by tests, pruned-model
/// export and the tiny-model trainer.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (name, tensor; any device, any layout) to one file.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var duplicates = list.GroupBy(t => t.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            throw new IclPruneException($"{path}: tensor names repeated: {string.Join(", ", duplicates)}.");

        var entries = new List<SafetensorsEntry>(list.Count);
        long offset = 0;
        foreach (var (name, tensor) in list)
        {
            long bytes = tensor.numel() * SafetensorsDType.SizeOf(tensor.dtype);
            entries.Add(new SafetensorsEntry(name, SafetensorsDType.NameOf(tensor.dtype), tensor.dtype, tensor.shape, offset, offset + bytes));
            offset += bytes;
        }
        byte[] header = SafetensorsHeader.Serialize(entries, metadata);

        string full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        string temp = full + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(BitConverter.GetBytes((ulong)header.Length));
                stream.Write(header);
                foreach (var (_, tensor) in list)
                    WriteData(stream, tensor);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>
    /// Writes a sharded checkpoint into <paramref name="folder"/>: model-0000i-of-0000n.safetensors, each at most
    /// <paramref name="maxShardBytes"/> (a single larger tensor gets its own shard), plus model.safetensors.index.json.
    /// One shard only: a plain model.safetensors, as Hugging Face's save_pretrained does.
    /// </summary>
    public static void WriteSharded(string folder, IEnumerable<KeyValuePair<string, Tensor>> tensors, long maxShardBytes,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var shards = new List<List<KeyValuePair<string, Tensor>>> { new() };
        long current = 0;
        foreach (var pair in tensors)
        {
            long bytes = pair.Value.numel() * SafetensorsDType.SizeOf(pair.Value.dtype);
            if (current > 0 && current + bytes > maxShardBytes)
            {
                shards.Add(new());
                current = 0;
            }
            shards[^1].Add(pair);
            current += bytes;
        }
        Directory.CreateDirectory(folder);
        if (shards.Count == 1)
        {
            Write(System.IO.Path.Combine(folder, SafetensorsCheckpoint.SingleFileName), shards[0], metadata);
            return;
        }
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        long totalSize = 0;
        for (int i = 0; i < shards.Count; i++)
        {
            string name = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            Write(System.IO.Path.Combine(folder, name), shards[i], metadata);
            foreach (var (tensor, value) in shards[i])
            {
                weightMap[tensor] = name;
                totalSize += value.numel() * SafetensorsDType.SizeOf(value.dtype);
            }
        }
        var index = new { metadata = new { total_size = totalSize }, weight_map = weightMap };
        WriteTextAtomically(System.IO.Path.Combine(folder, SafetensorsCheckpoint.IndexFileName),
            JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true }));
    }

    static void WriteData(Stream stream, Tensor tensor)
    {
        if (tensor.numel() == 0)
            return;
        using var scope = torch.NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous().view(-1);
        long elementSize = SafetensorsDType.SizeOf(tensor.dtype);
        long perChunk = Math.Max(1, SafetensorsFile.ChunkBytes / elementSize);
        for (long start = 0; start < cpu.numel(); start += perChunk)
        {
            using var chunk = cpu.narrow(0, start, Math.Min(perChunk, cpu.numel() - start));
            stream.Write(chunk.bytes);
        }
    }

    /// <summary>Writes a small text file (config.json, an index) with the same temp-then-rename guarantee.</summary>
    public static void WriteTextAtomically(string path, string text)
    {
        string temp = path + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }
}
