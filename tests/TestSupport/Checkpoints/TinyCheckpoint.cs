using System.Text.Json;
using IclPrune.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.TestSupport.Checkpoints;

/// <summary>
/// A random checkpoint in exact Hugging Face layout (config.json + safetensors under the HF key names), written with
/// the real writer, plus the same weights in float64 for the reference implementations. Sizes are deliberately odd
/// (intermediate 37, vocabulary 61) so that a swapped dimension fails loudly.
/// </summary>
public sealed class TinyCheckpoint : IDisposable
{
    public required string Folder { get; init; }
    public required Dictionary<string, Tensor> Weights { get; init; } // HF key -> float64
    public required Dictionary<string, object?> Config { get; init; }

    public int Int(string key) => Convert.ToInt32(Config[key]);

    public void Dispose()
    {
        foreach (var t in Weights.Values)
            t.Dispose();
        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Writes config and weights; <paramref name="extra"/> are non-weight buffers stored too (not in Weights).</summary>
    /// <param name="keepReferenceWeights">false: <see cref="Weights"/> stays empty (no float64 copy in memory), for
    /// tests that only run the written model.</param>
    public static TinyCheckpoint Write(Dictionary<string, object?> config, Dictionary<string, long[]> shapes, long seed,
        Dictionary<string, Tensor>? extra = null, long? maxShardBytes = null, bool keepReferenceWeights = true)
    {
        var g = new Generator((ulong)seed);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in shapes)
        {
            bool isNorm = name.Contains("ln") || name.Contains("norm") || name.Contains("layernorm");
            var t = isNorm && name.EndsWith("weight")
                ? 1 + 0.1 * torch.randn(shape, ScalarType.Float64, generator: g)
                : 0.3 * torch.randn(shape, ScalarType.Float64, generator: g);
            weights[name] = t;
        }
        string folder = Directory.CreateTempSubdirectory("tiny-ckpt-").FullName;
        var stored = weights.Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.to(ScalarType.Float32))).ToList();
        if (extra is not null)
            stored.AddRange(extra);
        if (maxShardBytes is { } max)
            SafetensorsWriter.WriteSharded(folder, stored, max, new Dictionary<string, string> { ["format"] = "pt" });
        else
            SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), stored, new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(config));
        foreach (var (_, t) in stored)
            t.Dispose(); // the float32 copies and the extra buffers are on disk now
        if (!keepReferenceWeights)
        {
            foreach (var t in weights.Values) t.Dispose();
            weights.Clear();
        }
        // The reference uses what was stored (float32-rounded), promoted to float64.
        foreach (var key in weights.Keys.ToList())
        {
            var drawn = weights[key];
            using var rounded = drawn.to(ScalarType.Float32);
            weights[key] = rounded.to(ScalarType.Float64);
            drawn.Dispose();
        }
        return new TinyCheckpoint { Folder = folder, Weights = weights, Config = config };
    }
}
