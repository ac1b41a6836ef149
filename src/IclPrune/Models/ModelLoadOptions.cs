using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Models;

/// <summary>Where and in which precision a checkpoint is materialized. Weights are converted tensor by tensor while
/// reading, whatever dtype the files store.</summary>
public sealed record ModelLoadOptions
{
    /// <summary>Target device; null: CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>float32 (default), bfloat16 or float16.</summary>
    public ScalarType DType { get; init; } = ScalarType.Float32;

    public Device ResolvedDevice => Device ?? torch.CPU;

    public static IReadOnlyList<string> DTypeNames { get; } = ["fp32", "bf16", "fp16"];

    /// <summary>Parses fp32/float32, bf16/bfloat16, fp16/float16/half (case-insensitive).</summary>
    public static ScalarType ParseDType(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" or "float" => ScalarType.Float32,
        "bf16" or "bfloat16" => ScalarType.BFloat16,
        "fp16" or "float16" or "half" => ScalarType.Float16,
        _ => throw new UsageException($"dtype '{text}' is not supported; expected one of {string.Join(", ", DTypeNames)}."),
    };

    public static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "fp32",
        ScalarType.BFloat16 => "bf16",
        ScalarType.Float16 => "fp16",
        _ => type.ToString(),
    };

    /// <summary>Parses cpu, cuda, cuda:N; a CUDA device on a machine without one is a user error, not a native crash.</summary>
    public static Device ParseDevice(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t == "cpu")
            return torch.CPU;
        if (t == "cuda" || t.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new UsageException($"device '{text}' requested but CUDA is not available in this build/machine (see `doctor`).");
            int index = 0;
            if (t.Length > 5 && (!int.TryParse(t[5..], out index) || index < 0 || index >= torch.cuda.device_count()))
                throw new UsageException($"device '{text}': expected cuda:N with N in [0, {torch.cuda.device_count()}).");
            return torch.device(DeviceType.CUDA, index);
        }
        throw new UsageException($"device '{text}' is not supported; expected cpu, cuda or cuda:N.");
    }
}
