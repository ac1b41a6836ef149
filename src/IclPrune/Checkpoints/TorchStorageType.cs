using static TorchSharp.torch;

namespace IclPrune.Checkpoints;

/// <summary>
/// The torch.*Storage classes a state dict's persistent ids name (torch/storage.py _pickle_storage_type), with the
/// element type and size of their raw bytes in the archive's data/&lt;key&gt; records.
/// </summary>
public sealed record TorchStorageType(string ClassName, ScalarType DType, int ElementSize)
{
    static readonly Dictionary<string, TorchStorageType> ByClass = new TorchStorageType[]
    {
        new("DoubleStorage", ScalarType.Float64, 8),
        new("FloatStorage", ScalarType.Float32, 4),
        new("HalfStorage", ScalarType.Float16, 2),
        new("BFloat16Storage", ScalarType.BFloat16, 2),
        new("LongStorage", ScalarType.Int64, 8),
        new("IntStorage", ScalarType.Int32, 4),
        new("ShortStorage", ScalarType.Int16, 2),
        new("CharStorage", ScalarType.Int8, 1),
        new("ByteStorage", ScalarType.Byte, 1),
        new("BoolStorage", ScalarType.Bool, 1),
    }.ToDictionary(t => t.ClassName, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> ClassNames => ByClass.Keys;

    public static TorchStorageType? Find(string className) => ByClass.GetValueOrDefault(className);
}
