using System.Text.Json;
using IclPrune.Checkpoints;
using IclPrune.Output;
using IclPrune.Search;
using static TorchSharp.torch;

namespace IclPrune.Export;

/// <summary>
/// Turns a factorized export back into a dense Hugging Face folder (P = A B, computed in float32 and cast to the
/// stored dtype), so that any loader, ours or transformers, can read it.
/// </summary>
public static class LowRankCheckpoint
{
    public static bool IsFactorized(string folder) => File.Exists(Path.Combine(folder, LowRankManifest.FileName));

    public static void Densify(string factorizedFolder, string denseFolder)
    {
        string manifestPath = Path.Combine(factorizedFolder, LowRankManifest.FileName);
        var manifest = JsonSerializer.Deserialize<LowRankManifest>(File.ReadAllText(manifestPath), SearchJson.Options)
            ?? throw new IclPruneException($"{manifestPath}: empty manifest.");
        if (manifest.Format != LowRankManifest.FormatName || manifest.Version != 1)
            throw new IclPruneException($"{manifestPath}: format '{manifest.Format}' version {manifest.Version} is not {LowRankManifest.FormatName} version 1.");
        AtomicFile.CreateFolder(denseFolder);

        using var checkpoint = SafetensorsCheckpoint.Open(factorizedFolder);
        var factored = manifest.Matrices.ToDictionary(m => m.Parameter);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        try
        {
            foreach (string name in checkpoint.TensorNames.OrderBy(n => n, StringComparer.Ordinal))
            {
                if (name.EndsWith(LowRankManifest.SuffixA, StringComparison.Ordinal) || name.EndsWith(LowRankManifest.SuffixB, StringComparison.Ordinal))
                    continue;
                tensors.Add(new(name, checkpoint.Read(name)));
            }
            foreach (var m in manifest.Matrices)
            {
                string a = m.Parameter + LowRankManifest.SuffixA, b = m.Parameter + LowRankManifest.SuffixB;
                if (!checkpoint.Contains(a) || !checkpoint.Contains(b))
                    throw new IclPruneException($"{factorizedFolder}: lowrank.json lists '{m.Parameter}' but its factors {a} / {b} are missing.");
                var dtype = checkpoint.Entry(a).DType;
                using var fa = checkpoint.Read(a, ScalarType.Float32);
                using var fb = checkpoint.Read(b, ScalarType.Float32);
                if (fa.shape[0] != m.Rows || fb.shape[1] != m.Columns || fa.shape[1] != m.Rank || fb.shape[0] != m.Rank)
                    throw new IclPruneException(
                        $"{factorizedFolder}: factors of '{m.Parameter}' have shapes [{string.Join(", ", fa.shape)}] and [{string.Join(", ", fb.shape)}]; " +
                        $"expected [{m.Rows}, {m.Rank}] and [{m.Rank}, {m.Columns}].");
                tensors.Add(new(m.Parameter, fa.matmul(fb).to(dtype)));
            }
            SafetensorsWriter.WriteSharded(denseFolder, tensors, 4L << 30, new Dictionary<string, string> { ["format"] = "pt" });
        }
        finally
        {
            foreach (var t in tensors) t.Value.Dispose();
        }
        foreach (string file in Directory.GetFiles(factorizedFolder))
        {
            string fileName = Path.GetFileName(file);
            if (fileName == LowRankManifest.FileName || fileName.EndsWith(".safetensors", StringComparison.Ordinal)
                || fileName == SafetensorsCheckpoint.IndexFileName) continue;
            AtomicFile.Copy(file, Path.Combine(denseFolder, fileName));
        }
    }
}
