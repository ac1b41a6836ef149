using static TorchSharp.torch;

namespace IclPrune.Checkpoints;

/// <summary>
/// The PyTorch weights of a checkpoint folder: pytorch_model.bin, or shards listed by pytorch_model.bin.index.json
/// (same shape as the safetensors index). Same surface as <see cref="SafetensorsCheckpoint"/>.
/// </summary>
public sealed class TorchBinCheckpoint : ICheckpointReader
{
    public const string SingleFileName = "pytorch_model.bin";
    public const string IndexFileName = "pytorch_model.bin.index.json";

    readonly Dictionary<string, TorchBinFile> _byTensor;
    readonly List<TorchBinFile> _files;

    TorchBinCheckpoint(string folder, List<TorchBinFile> files, Dictionary<string, TorchBinFile> byTensor)
    {
        Folder = folder;
        _files = files;
        _byTensor = byTensor;
    }

    public string Folder { get; }
    public CheckpointFormat Format => CheckpointFormat.PyTorchBin;
    public IReadOnlyList<TorchBinFile> Files => _files;
    public IReadOnlyList<string> FilePaths => _files.Select(f => f.Path).ToList();
    public IReadOnlyCollection<string> TensorNames => _byTensor.Keys;
    public bool Contains(string name) => _byTensor.ContainsKey(name);
    public TorchBinEntry Entry(string name) => _byTensor[name].Entries[name];

    public CheckpointTensorInfo Describe(string name)
    {
        if (!_byTensor.TryGetValue(name, out var file))
            throw new IclPruneException($"{Folder}: checkpoint has no tensor '{name}'.");
        var entry = file.Entries[name];
        return new CheckpointTensorInfo(name, entry.DType, entry.Shape);
    }

    public static bool Exists(string folder) =>
        File.Exists(System.IO.Path.Combine(folder, IndexFileName)) || File.Exists(System.IO.Path.Combine(folder, SingleFileName));

    public static TorchBinCheckpoint Open(string folder)
    {
        string index = System.IO.Path.Combine(folder, IndexFileName);
        string single = System.IO.Path.Combine(folder, SingleFileName);
        if (File.Exists(index))
            return OpenSharded(folder, index);
        if (File.Exists(single))
        {
            var file = TorchBinFile.Open(single);
            return new TorchBinCheckpoint(folder, [file], file.Entries.Keys.ToDictionary(k => k, _ => file, StringComparer.Ordinal));
        }
        throw new IclPruneException($"{folder}: no {SingleFileName} or {IndexFileName} found.");
    }

    static TorchBinCheckpoint OpenSharded(string folder, string indexPath)
    {
        var (files, byTensor) = CheckpointIndex.OpenShards(folder, indexPath, TorchBinFile.Open, (file, tensor) => file.Entries.ContainsKey(tensor));
        return new TorchBinCheckpoint(folder, files, byTensor);
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
