using IclPrune.Output;

namespace IclPrune.Checkpoints;

/// <summary>What a conversion read and wrote.</summary>
public sealed record ConversionResult(
    CheckpointFormat SourceFormat, IReadOnlyList<string> SourceFiles, int TensorCount, long TensorBytes,
    IReadOnlyList<string> WeightFiles, IReadOnlyList<string> CopiedFiles);

/// <summary>
/// Copies a Hugging Face model folder into a new folder with safetensors weights (the `convert` command), so users
/// can leave pickle behind: weights read one tensor at a time from whatever format the folder has (safetensors or
/// .bin) and written as model.safetensors, or shards plus model.safetensors.index.json above the size limit, with
/// dtypes unchanged; every other top-level file (config.json, tokenizer files, generation_config.json, README) is
/// copied as is.
/// </summary>
public static class CheckpointConverter
{
    /// <summary>Weight files of any framework: not copied (their tensors are what we rewrite, or foreign formats).</summary>
    static readonly string[] WeightExtensions = [".bin", ".safetensors", ".pt", ".pth", ".ckpt", ".h5", ".msgpack", ".ot", ".onnx", ".gguf"];

    public static ConversionResult Convert(string modelFolder, string outFolder, long maxShardBytes, bool force,
        Action<string>? progress = null, CancellationToken cancellation = default, Action<int, int>? tensorsRead = null)
    {
        string source = Path.GetFullPath(modelFolder);
        string target = Path.GetFullPath(outFolder);
        if (!Directory.Exists(source))
            throw new IclPruneException($"model folder {modelFolder} does not exist.");
        if (string.Equals(source.TrimEnd('/'), target.TrimEnd('/'), StringComparison.Ordinal))
            throw new UsageException($"output folder {outFolder} is the model folder itself; choose a new folder.");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            if (!force)
                throw new UsageException($"output folder {outFolder} is not empty; convert with force to overwrite the files it writes there.");
            RemovePreviousOutput(target);
        }

        using var reader = CheckpointReader.Open(source);
        progress?.Invoke($"reading {reader.TensorNames.Count} tensors from {reader.Format.Describe()}: {string.Join(", ", reader.FilePaths.Select(Path.GetFileName))}");
        var plan = reader.TensorNames.Select(reader.Describe).ToList();
        AtomicFile.CreateFolder(target);
        var copied = CopyOtherFiles(source, target);
        int done = 0;
        var written = SafetensorsWriter.WriteSharded(target, plan, name =>
        {
            cancellation.ThrowIfCancellationRequested();
            var tensor = reader.Read(name);
            tensorsRead?.Invoke(++done, plan.Count);
            return tensor;
        }, maxShardBytes, new Dictionary<string, string> { ["format"] = "pt" });

        CheckWritten(target, plan);
        long bytes = plan.Sum(t => t.ElementCount * SafetensorsDType.SizeOf(t.DType));
        return new ConversionResult(reader.Format, reader.FilePaths, plan.Count, bytes, written, copied);
    }

    /// <summary>Only what an earlier convert wrote, so stale shards cannot mix with the new ones.</summary>
    static void RemovePreviousOutput(string target)
    {
        foreach (var file in Directory.EnumerateFiles(target, "model*.safetensors").Concat(
                     Directory.EnumerateFiles(target, SafetensorsCheckpoint.IndexFileName)))
            File.Delete(file);
    }

    static List<string> CopyOtherFiles(string source, string target)
    {
        var copied = new List<string>();
        foreach (var file in Directory.EnumerateFiles(source).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            if (name.StartsWith('.') || WeightExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase))
                || name.EndsWith(".index.json", StringComparison.Ordinal))
                continue;
            AtomicFile.Copy(file, Path.Combine(target, name));
            copied.Add(name);
        }
        return copied;
    }

    /// <summary>The written headers must list exactly the planned names, dtypes and shapes (reads no tensor data).</summary>
    static void CheckWritten(string target, List<CheckpointTensorInfo> plan)
    {
        using var written = SafetensorsCheckpoint.Open(target);
        foreach (var t in plan)
        {
            var back = written.Describe(t.Name);
            if (back.DType != t.DType || !back.Shape.SequenceEqual(t.Shape))
                throw new IclPruneException($"{target}: tensor '{t.Name}' was written as {back.DType}[{string.Join(", ", back.Shape)}], expected {t.DType}[{string.Join(", ", t.Shape)}].");
        }
        if (written.TensorNames.Count != plan.Count)
            throw new IclPruneException($"{target}: wrote {written.TensorNames.Count} tensors, expected {plan.Count}.");
    }
}
