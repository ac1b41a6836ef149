using static TorchSharp.torch;

namespace IclPrune.Checkpoints;

/// <summary>Which on-disk format a checkpoint's weights were read from (reported by the loader and `inspect`).</summary>
public enum CheckpointFormat
{
    /// <summary>model.safetensors or shards listed by model.safetensors.index.json.</summary>
    Safetensors,

    /// <summary>pytorch_model.bin (torch.save zip with a pickled state dict) or shards listed by
    /// pytorch_model.bin.index.json, read by the restricted unpickler.</summary>
    PyTorchBin,
}

/// <summary>Name, dtype and shape of one tensor, known without reading its data.</summary>
public sealed record CheckpointTensorInfo(string Name, ScalarType DType, long[] Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
}

/// <summary>
/// The weights of a checkpoint folder, whatever their format: names are the Hugging Face state-dict keys, and
/// tensors are read one at a time so that peak memory stays near one tensor above the model itself.
/// </summary>
public interface ICheckpointReader : IDisposable
{
    string Folder { get; }
    CheckpointFormat Format { get; }

    /// <summary>Full paths of the weight files (one, or the shards of an index).</summary>
    IReadOnlyList<string> FilePaths { get; }

    IReadOnlyCollection<string> TensorNames { get; }
    bool Contains(string name);

    /// <summary>dtype and shape as stored; throws IclPruneException naming the folder for an unknown name.</summary>
    CheckpointTensorInfo Describe(string name);

    /// <summary>Reads tensor <paramref name="name"/> into <paramref name="dtype"/> (null: as stored) on
    /// <paramref name="device"/> (null: CPU). The result owns its memory: the caller may modify or dispose it.</summary>
    Tensor Read(string name, ScalarType? dtype = null, Device? device = null);
}

/// <summary>Human-readable format names for CLI output.</summary>
public static class CheckpointFormatNames
{
    public static string Describe(this CheckpointFormat format) => format switch
    {
        CheckpointFormat.Safetensors => "safetensors",
        CheckpointFormat.PyTorchBin => "pytorch .bin (torch.save zip, restricted unpickler)",
        _ => format.ToString(),
    };

    /// <summary>Stable identifier for JSON output: "safetensors" or "pytorch_bin".</summary>
    public static string JsonName(this CheckpointFormat format) => format switch
    {
        CheckpointFormat.Safetensors => "safetensors",
        CheckpointFormat.PyTorchBin => "pytorch_bin",
        _ => format.ToString().ToLowerInvariant(),
    };
}
