
namespace IclPrune.Checkpoints;

/// <summary>
/// The weights of a checkpoint folder: model.safetensors, or shards listed by model.safetensors.index.json
/// ({"metadata": {...}, "weight_map": {tensor: shard file}}). Tensor names are the Hugging Face state-dict keys.
/// </summary>
public sealed class SafetensorsCheckpoint : CheckpointFolder<SafetensorsFile>
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    SafetensorsCheckpoint(string folder, List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> byTensor)
        : base(folder, files, byTensor) { }

    public override CheckpointFormat Format => CheckpointFormat.Safetensors;
    public SafetensorsEntry Entry(string name) => FileOf(name).Entries[name];

    public static bool Exists(string folder) =>
        File.Exists(System.IO.Path.Combine(folder, IndexFileName)) || File.Exists(System.IO.Path.Combine(folder, SingleFileName));

    public static SafetensorsCheckpoint Open(string folder)
    {
        if (OpenFiles(folder, SingleFileName, IndexFileName, SafetensorsFile.Open) is var (files, byTensor))
            return new SafetensorsCheckpoint(folder, files, byTensor);
        string hint = File.Exists(System.IO.Path.Combine(folder, "pytorch_model.bin")) || File.Exists(System.IO.Path.Combine(folder, "pytorch_model.bin.index.json"))
            ? " It has pytorch_model.bin weights: open it with CheckpointReader.Open, which falls back to them."
            : "";
        throw new IclPruneException($"{folder}: no {SingleFileName} or {IndexFileName} found.{hint}");
    }
}
