using System.Text.Json;
using static TorchSharp.torch;

namespace IclPrune.Checkpoints;

/// <summary>
/// The weights of a checkpoint folder: model.safetensors, or shards listed by model.safetensors.index.json
/// ({"metadata": {...}, "weight_map": {tensor: shard file}}). Tensor names are the Hugging Face state-dict keys.
/// </summary>
public sealed class SafetensorsCheckpoint : ICheckpointReader
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    readonly Dictionary<string, SafetensorsFile> _byTensor;
    readonly List<SafetensorsFile> _files;

    SafetensorsCheckpoint(string folder, List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> byTensor)
    {
        Folder = folder;
        _files = files;
        _byTensor = byTensor;
    }

    public string Folder { get; }
    public IReadOnlyList<SafetensorsFile> Files => _files;
    public IReadOnlyCollection<string> TensorNames => _byTensor.Keys;
    public SafetensorsEntry Entry(string name) => _byTensor[name].Entries[name];
    public bool Contains(string name) => _byTensor.ContainsKey(name);
    public CheckpointFormat Format => CheckpointFormat.Safetensors;
    public IReadOnlyList<string> FilePaths => _files.Select(f => f.Path).ToList();

    public CheckpointTensorInfo Describe(string name)
    {
        if (!_byTensor.TryGetValue(name, out var file))
            throw new IclPruneException($"{Folder}: checkpoint has no tensor '{name}'.");
        var entry = file.Entries[name];
        return new CheckpointTensorInfo(name, entry.DType, entry.Shape);
    }

    public static bool Exists(string folder) =>
        File.Exists(System.IO.Path.Combine(folder, IndexFileName)) || File.Exists(System.IO.Path.Combine(folder, SingleFileName));

    public static SafetensorsCheckpoint Open(string folder)
    {
        string index = System.IO.Path.Combine(folder, IndexFileName);
        string single = System.IO.Path.Combine(folder, SingleFileName);
        if (File.Exists(index))
            return OpenSharded(folder, index);
        if (File.Exists(single))
        {
            var file = SafetensorsFile.Open(single);
            return new SafetensorsCheckpoint(folder, [file], file.Entries.Keys.ToDictionary(k => k, _ => file, StringComparer.Ordinal));
        }
        string hint = File.Exists(System.IO.Path.Combine(folder, "pytorch_model.bin")) || File.Exists(System.IO.Path.Combine(folder, "pytorch_model.bin.index.json"))
            ? " It has pytorch_model.bin weights: open it with CheckpointReader.Open, which falls back to them."
            : "";
        throw new IclPruneException($"{folder}: no {SingleFileName} or {IndexFileName} found.{hint}");
    }

    static SafetensorsCheckpoint OpenSharded(string folder, string indexPath)
    {
        var (files, byTensor) = CheckpointIndex.OpenShards(folder, indexPath, SafetensorsFile.Open, (file, tensor) => file.Entries.ContainsKey(tensor));
        return new SafetensorsCheckpoint(folder, files, byTensor);
    }

    public Tensor Read(string name, ScalarType? dtype = null, Device? device = null)
    {
        if (!_byTensor.TryGetValue(name, out var file))
            throw new IclPruneException($"{Folder}: checkpoint has no tensor '{name}'.");
        return file.Read(name, dtype, device);
    }

    public void Dispose()
    {
        foreach (var f in _files)
            f.Dispose();
    }
}
