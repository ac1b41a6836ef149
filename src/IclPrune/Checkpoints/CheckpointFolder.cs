using static TorchSharp.torch;

namespace IclPrune.Checkpoints;

/// <summary>
/// The weights of a checkpoint folder in one format: a single file, or shards listed by an index of Hugging Face's
/// shape ({"weight_map": {tensor: shard}}). Maps each tensor name to the file that holds it; the format-specific
/// subclasses only say which file names to look for and how to open a file.
/// </summary>
public abstract class CheckpointFolder<TFile> : ICheckpointReader where TFile : ICheckpointFile
{
    readonly Dictionary<string, TFile> _byTensor;
    readonly List<TFile> _files;

    protected CheckpointFolder(string folder, List<TFile> files, Dictionary<string, TFile> byTensor)
    {
        Folder = folder;
        _files = files;
        _byTensor = byTensor;
    }

    public string Folder { get; }
    public abstract CheckpointFormat Format { get; }
    public IReadOnlyList<TFile> Files => _files;
    public IReadOnlyList<string> FilePaths => _files.Select(f => f.Path).ToList();
    public IReadOnlyCollection<string> TensorNames => _byTensor.Keys;
    public bool Contains(string name) => _byTensor.ContainsKey(name);

    public CheckpointTensorInfo Describe(string name) => FileOf(name).Describe(name);

    public Tensor Read(string name, ScalarType? dtype = null, Device? device = null) => FileOf(name).Read(name, dtype, device);

    protected TFile FileOf(string name) => _byTensor.TryGetValue(name, out var file)
        ? file
        : throw new IclPruneException($"{Folder}: checkpoint has no tensor '{name}'.");

    /// <summary>
    /// Opens <paramref name="indexFileName"/>'s shards when the index exists, else <paramref name="singleFileName"/>;
    /// null when the folder has neither.
    /// </summary>
    protected static (List<TFile> Files, Dictionary<string, TFile> ByTensor)? OpenFiles(string folder, string singleFileName,
        string indexFileName, Func<string, TFile> open)
    {
        string index = Path.Combine(folder, indexFileName);
        if (File.Exists(index))
            return CheckpointIndex.OpenShards(folder, index, open, (file, tensor) => file.Holds(tensor));
        string single = Path.Combine(folder, singleFileName);
        if (!File.Exists(single)) return null;
        var file = open(single);
        return ([file], file.TensorNames.ToDictionary(name => name, _ => file, StringComparer.Ordinal));
    }

    public void Dispose()
    {
        foreach (var f in _files)
            f.Dispose();
        GC.SuppressFinalize(this);
    }
}
