using static TorchSharp.torch;

namespace IclPrune.Checkpoints;

/// <summary>
/// The dtype strings of the safetensors header (https://github.com/huggingface/safetensors, format section) that this
/// tool reads and writes, with their element sizes and torch scalar types.
/// </summary>
public static class SafetensorsDType
{
    static readonly Dictionary<string, (ScalarType Type, int Size)> ByName = new(StringComparer.Ordinal)
    {
        ["F64"] = (ScalarType.Float64, 8),
        ["F32"] = (ScalarType.Float32, 4),
        ["F16"] = (ScalarType.Float16, 2),
        ["BF16"] = (ScalarType.BFloat16, 2),
        ["I64"] = (ScalarType.Int64, 8),
        ["I32"] = (ScalarType.Int32, 4),
        ["I16"] = (ScalarType.Int16, 2),
        ["I8"] = (ScalarType.Int8, 1),
        ["U8"] = (ScalarType.Byte, 1),
        ["BOOL"] = (ScalarType.Bool, 1),
    };

    public static IReadOnlyCollection<string> Supported => ByName.Keys;

    public static bool TryParse(string name, out ScalarType type, out int elementSize)
    {
        if (ByName.TryGetValue(name, out var entry))
        {
            (type, elementSize) = entry;
            return true;
        }
        (type, elementSize) = (default, 0);
        return false;
    }

    public static string NameOf(ScalarType type) =>
        ByName.FirstOrDefault(kv => kv.Value.Type == type).Key
        ?? throw new IclPruneException($"tensor dtype {type} cannot be written to safetensors; supported: {string.Join(", ", Supported)}.");

    public static int SizeOf(ScalarType type) =>
        ByName.Values.FirstOrDefault(v => v.Type == type) is { Size: > 0 } v
            ? v.Size
            : throw new IclPruneException($"tensor dtype {type} has no safetensors equivalent.");
}
