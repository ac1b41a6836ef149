using System.Text.Json;
using IclPrune.Output;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Checkpoints;

/// <summary>
/// Writes tensors in the safetensors format, atomically (<see cref="AtomicFile"/>), so a crash never leaves a
/// half-written checkpoint under the real name. Used by tests, pruned-model
/// export and the tiny-model trainer.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (name, tensor; any device, any layout) to one file.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        CheckNoDuplicates(path, list.Select(t => t.Key));
        var byName = list.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        WriteFile(path, Plan(list), name => byName[name], disposeLoaded: false, metadata);
    }

    /// <summary>
    /// Writes the tensors of <paramref name="plan"/> to one file, each obtained from <paramref name="load"/> only when
    /// its bytes are written and disposed right after, so a checkpoint of any size is copied with about one tensor in
    /// memory (the convert command). A loaded tensor must have the plan's dtype and shape.
    /// </summary>
    public static void Write(string path, IReadOnlyList<CheckpointTensorInfo> plan, Func<string, Tensor> load,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        CheckNoDuplicates(path, plan.Select(t => t.Name));
        WriteFile(path, plan, load, disposeLoaded: true, metadata);
    }

    static List<CheckpointTensorInfo> Plan(IEnumerable<KeyValuePair<string, Tensor>> tensors) =>
        tensors.Select(t => new CheckpointTensorInfo(t.Key, t.Value.dtype, t.Value.shape)).ToList();

    static void CheckNoDuplicates(string path, IEnumerable<string> names)
    {
        var duplicates = names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            throw new IclPruneException($"{path}: tensor names repeated: {string.Join(", ", duplicates)}.");
    }

    static long ByteSize(CheckpointTensorInfo t) => t.ElementCount * SafetensorsDType.SizeOf(t.DType);

    static void WriteFile(string path, IReadOnlyList<CheckpointTensorInfo> plan, Func<string, Tensor> load, bool disposeLoaded,
        IReadOnlyDictionary<string, string>? metadata)
    {
        var entries = new List<SafetensorsEntry>(plan.Count);
        long offset = 0;
        foreach (var t in plan)
        {
            long bytes = ByteSize(t);
            entries.Add(new SafetensorsEntry(t.Name, SafetensorsDType.NameOf(t.DType), t.DType, t.Shape, offset, offset + bytes));
            offset += bytes;
        }
        byte[] header = SafetensorsHeader.Serialize(entries, metadata);

        AtomicFile.Write(path, stream =>
        {
            stream.Write(BitConverter.GetBytes((ulong)header.Length));
            stream.Write(header);
            foreach (var t in plan)
            {
                var tensor = load(t.Name);
                try
                {
                    if (tensor.dtype != t.DType || !tensor.shape.SequenceEqual(t.Shape))
                        throw new IclPruneException($"{path}: tensor '{t.Name}' is {tensor.dtype}[{string.Join(", ", tensor.shape)}], " +
                                                    $"but its header entry says {t.DType}[{string.Join(", ", t.Shape)}].");
                    WriteData(stream, tensor);
                }
                finally
                {
                    if (disposeLoaded)
                        tensor.Dispose();
                }
            }
        });
    }

    /// <summary>
    /// Writes a sharded checkpoint into <paramref name="folder"/>: model-0000i-of-0000n.safetensors, each at most
    /// <paramref name="maxShardBytes"/> (a single larger tensor gets its own shard), plus model.safetensors.index.json.
    /// One shard only: a plain model.safetensors, as Hugging Face's save_pretrained does. Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> WriteSharded(string folder, IEnumerable<KeyValuePair<string, Tensor>> tensors, long maxShardBytes,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        CheckNoDuplicates(folder, list.Select(t => t.Key));
        var byName = list.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        return WriteShards(folder, Plan(list), name => byName[name], disposeLoaded: false, maxShardBytes, metadata);
    }

    /// <summary>The streaming form of <see cref="WriteSharded(string, IEnumerable{KeyValuePair{string, Tensor}}, long, IReadOnlyDictionary{string, string}?)"/>:
    /// tensors come from <paramref name="load"/> one at a time and are disposed once written.</summary>
    public static IReadOnlyList<string> WriteSharded(string folder, IReadOnlyList<CheckpointTensorInfo> plan, Func<string, Tensor> load,
        long maxShardBytes, IReadOnlyDictionary<string, string>? metadata = null)
    {
        CheckNoDuplicates(folder, plan.Select(t => t.Name));
        return WriteShards(folder, plan, load, disposeLoaded: true, maxShardBytes, metadata);
    }

    static IReadOnlyList<string> WriteShards(string folder, IReadOnlyList<CheckpointTensorInfo> plan, Func<string, Tensor> load,
        bool disposeLoaded, long maxShardBytes, IReadOnlyDictionary<string, string>? metadata)
    {
        if (maxShardBytes <= 0)
            throw new IclPruneException($"{folder}: shard size limit {maxShardBytes} bytes must be positive.");
        var shards = new List<List<CheckpointTensorInfo>> { new() };
        long current = 0;
        foreach (var t in plan)
        {
            long bytes = ByteSize(t);
            if (current > 0 && current + bytes > maxShardBytes)
            {
                shards.Add(new());
                current = 0;
            }
            shards[^1].Add(t);
            current += bytes;
        }
        if (shards.Count == 1)
        {
            string single = System.IO.Path.Combine(folder, SafetensorsCheckpoint.SingleFileName);
            WriteFile(single, shards[0], load, disposeLoaded, metadata);
            return [single];
        }
        var written = new List<string>();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        long totalSize = 0;
        for (int i = 0; i < shards.Count; i++)
        {
            string name = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            string path = System.IO.Path.Combine(folder, name);
            WriteFile(path, shards[i], load, disposeLoaded, metadata);
            written.Add(path);
            foreach (var t in shards[i])
            {
                weightMap[t.Name] = name;
                totalSize += ByteSize(t);
            }
        }
        var index = new { metadata = new { total_size = totalSize }, weight_map = weightMap };
        string indexPath = System.IO.Path.Combine(folder, SafetensorsCheckpoint.IndexFileName);
        AtomicFile.WriteAllText(indexPath, JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true }));
        written.Add(indexPath);
        return written;
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
}
