using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Models;

/// <summary>
/// The memory a model's weights need, estimated from config.json alone, checked against what the machine has before
/// anything is allocated: a config that names a 102 GB embedding (vocab_size 400M, n_embd 2^30) gets
/// "needs N GB, M GB available" instead of a failed native allocation or the kernel's OOM killer (issue 17).
/// The count follows the families' modules (embedding, per-layer attention and MLP, head); norms and biases are
/// left out, so the estimate errs low by well under 1% and never refuses a model that fits.
/// </summary>
public static class ModelMemory
{
    /// <summary>Weights in the config's model: double, because a hostile config overflows any integer.</summary>
    public static double ParameterCount(ModelConfig c)
    {
        double d = c.HiddenSize, v = c.VocabSize, heads = c.NumHeads, kv = c.NumKeyValueHeads, hd = c.HeadDim;
        double embedding = v * d * (c.TieWordEmbeddings ? 1 : 2);
        var family = ModelFamilies.Find(c.ModelType);
        double positions = family?.LearnedPositions == true ? (double)c.MaxPositions * d : 0;
        double attention = d * hd * (2 * heads + 2 * kv);                              // q, o and k, v
        double mlp = d * c.IntermediateSize * (family?.GatedMlp == true ? 3 : 2);      // gate, up, down or in, out
        return embedding + positions + c.NumLayers * (attention + mlp);
    }

    /// <summary>Refuses a model whose weights alone do not fit in the memory available on the target CPU.</summary>
    public static void EnsureFits(ModelConfig config, ModelLoadOptions options)
    {
        double bytes = ParameterCount(config) * ElementSize(options.DType);
        if (options.ResolvedDevice.type != DeviceType.CPU)
            return; // TorchSharp 0.107 has no cudaMemGetInfo; CUDA reports its own out-of-memory as an exception
        long? available = AvailableCpuBytes();
        if (available is { } limit && bytes > limit)
        {
            string weights = (ParameterCount(config) / 1e9).ToString("G3", CultureInfo.InvariantCulture);
            string needed = (bytes / 1e9).ToString("F1", CultureInfo.InvariantCulture);
            string free = (available.Value / 1e9).ToString("F1", CultureInfo.InvariantCulture);
            throw new IclPruneException(
                $"{Where(config)}: this {config.ModelType} model (vocab_size {config.VocabSize}, hidden size {config.HiddenSize}, " +
                $"{config.NumLayers} layers) has about {weights} billion weights: it needs {needed} GB as " +
                $"{ModelLoadOptions.DTypeName(options.DType)}, {free} GB available. Check the config's sizes, or use a smaller " +
                "dtype or a larger machine.");
        }
    }

    static string Where(ModelConfig config) => config.SourcePath.Length > 0 ? config.SourcePath : ModelConfig.FileName;

    static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float64 => 8,
        ScalarType.Float16 or ScalarType.BFloat16 => 2,
        _ => 4,
    };

    /// <summary>MemAvailable from /proc/meminfo, capped by the GC's view (which respects a cgroup limit).</summary>
    internal static long? AvailableCpuBytes()
    {
        long gcLimit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long? meminfo = null;
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb))
                    meminfo = kb * 1024;
            }
        }
        catch (IOException)
        {
            // Not Linux: the GC's figure alone.
        }
        if (meminfo is null) return gcLimit > 0 ? gcLimit : null;
        return gcLimit > 0 ? Math.Min(meminfo.Value, gcLimit) : meminfo;
    }
}
