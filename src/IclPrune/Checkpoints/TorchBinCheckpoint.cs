
namespace IclPrune.Checkpoints;

/// <summary>
/// The PyTorch weights of a checkpoint folder: pytorch_model.bin, or shards listed by pytorch_model.bin.index.json
/// (same shape as the safetensors index). Same surface as <see cref="SafetensorsCheckpoint"/>.
/// </summary>
public sealed class TorchBinCheckpoint : CheckpointFolder<TorchBinFile>
{
    public const string SingleFileName = "pytorch_model.bin";
    public const string IndexFileName = "pytorch_model.bin.index.json";

    TorchBinCheckpoint(string folder, List<TorchBinFile> files, Dictionary<string, TorchBinFile> byTensor)
        : base(folder, files, byTensor) { }

    public override CheckpointFormat Format => CheckpointFormat.PyTorchBin;
    public TorchBinEntry Entry(string name) => FileOf(name).Entries[name];

    public static bool Exists(string folder) =>
        File.Exists(System.IO.Path.Combine(folder, IndexFileName)) || File.Exists(System.IO.Path.Combine(folder, SingleFileName));

    public static TorchBinCheckpoint Open(string folder) =>
        OpenFiles(folder, SingleFileName, IndexFileName, TorchBinFile.Open) is var (files, byTensor)
            ? new TorchBinCheckpoint(folder, files, byTensor)
            : throw new IclPruneException($"{folder}: no {SingleFileName} or {IndexFileName} found.");
}
