using System.Text.Json;
using System.Text.Json.Nodes;
using IclPrune.Checkpoints;
using IclPrune.Models;
using IclPrune.Output;
using IclPrune.Pruning;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Export;

/// <summary>
/// Writes a pruned model as a Hugging Face folder: config.json (torch_dtype set to what is stored), the tokenizer
/// files of the source folder, and safetensors weights under the model's parameter names (which the loader maps back),
/// sharded above 4 GiB per file like save_pretrained. Dense by default; factorized on request (<see cref="LowRankManifest"/>).
/// </summary>
public static class PrunedExport
{
    /// <summary>Files besides the weights that make a checkpoint folder usable (copied when present).</summary>
    static readonly string[] CompanionFiles =
    [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "tokenizer.model",
        "added_tokens.json", "generation_config.json",
    ];

    const long ShardBytes = 4L << 30;

    public static ExportReport Write(string sourceFolder, IReadOnlyDictionary<string, Parameter> parameters, PrunePlan plan,
        Pruner pruner, string outFolder, bool factorized, Action<int, int, string>? progress = null)
    {
        if (Path.GetFullPath(outFolder).TrimEnd('/') == Path.GetFullPath(sourceFolder).TrimEnd('/'))
            throw new UsageException($"output folder '{outFolder}' is the source checkpoint folder; export into a new folder.");
        AtomicFile.CreateFolder(outFolder);

        var factorizedSteps = factorized
            ? plan.Steps.Where(s => !s.IsNoOp && s.Matrix.SliceIndex is null).ToList()
            : [];
        var denseSlices = factorized
            ? plan.Steps.Where(s => !s.IsNoOp && s.Matrix.SliceIndex is not null).Select(s => s.Matrix.Key).ToList()
            : [];

        long denseParameters = 0, storedParameters = 0, denseBytes = 0, storedBytes = 0;
        // Steps for progress: one SVD per factorized matrix, the pruning itself (the SVDs of a dense export), the write.
        int steps = factorizedSteps.Count + 2, done = 0;
        var factors = new Dictionary<string, (Tensor A, Tensor B)>();
        try
        {
            // Factors come from the original weights, so take them before the scope writes the pruned ones.
            foreach (var step in factorizedSteps)
            {
                var parameter = parameters[step.Matrix.Parameter];
                var svd = pruner.Factors(parameter, step.Matrix);
                var (a, b) = svd.Factor(step.Rank);
                if (!pruner.Cache.Owns(svd)) svd.Dispose();
                factors[step.Matrix.Parameter] = (a.to(parameter.dtype), b.to(parameter.dtype));
                a.Dispose();
                b.Dispose();
                progress?.Invoke(++done, steps, $"factorized {step.Matrix.Key}");
            }

            using var scope = pruner.Apply(plan);
            progress?.Invoke(++done, steps, $"pruned {plan.Steps.Count(s => !s.IsNoOp)} matrices");
            var tensors = new List<KeyValuePair<string, Tensor>>();
            foreach (var (name, parameter) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                long size = ElementSize(parameter.dtype);
                denseParameters += parameter.numel();
                denseBytes += parameter.numel() * size;
                if (factors.TryGetValue(name, out var ab))
                {
                    tensors.Add(new(name + LowRankManifest.SuffixA, ab.A));
                    tensors.Add(new(name + LowRankManifest.SuffixB, ab.B));
                    storedParameters += ab.A.numel() + ab.B.numel();
                    storedBytes += (ab.A.numel() + ab.B.numel()) * size;
                }
                else
                {
                    tensors.Add(new(name, parameter.detach()));
                    storedParameters += parameter.numel();
                    storedBytes += parameter.numel() * size;
                }
            }
            var metadata = new Dictionary<string, string> { ["format"] = "pt", ["icl_prune_specs"] = plan.ToString() };
            SafetensorsWriter.WriteSharded(outFolder, tensors, ShardBytes, metadata);
            progress?.Invoke(++done, steps, "wrote the weights");
        }
        finally
        {
            foreach (var (a, b) in factors.Values)
            {
                a.Dispose();
                b.Dispose();
            }
        }

        WriteConfig(sourceFolder, outFolder, parameters.Values.FirstOrDefault()?.dtype ?? ScalarType.Float32);
        foreach (string file in CompanionFiles)
        {
            string source = Path.Combine(sourceFolder, file);
            if (File.Exists(source)) AtomicFile.Copy(source, Path.Combine(outFolder, file));
        }

        var matrices = factorizedSteps.Select(s => new LowRankMatrix(s.Matrix.Parameter, s.Rows, s.Columns, s.Rank)).ToList();
        string manifestPath = Path.Combine(outFolder, LowRankManifest.FileName);
        if (factorized)
        {
            var manifest = new LowRankManifest(LowRankManifest.FormatName, 1, plan.Specs.Select(s => s.ToString()).ToList(), matrices);
            AtomicFile.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, Search.SearchJson.Indented));
        }
        else if (File.Exists(manifestPath))
        {
            File.Delete(manifestPath);   // a dense export over an old factorized one
        }
        return new ExportReport(outFolder, factorized, plan.Specs.Select(s => s.ToString()).ToList(), denseParameters, storedParameters,
            denseBytes, storedBytes, matrices, denseSlices);
    }

    static void WriteConfig(string sourceFolder, string outFolder, ScalarType dtype)
    {
        string source = Path.Combine(sourceFolder, ModelConfig.FileName);
        var node = JsonNode.Parse(File.ReadAllText(source)) as JsonObject
            ?? throw new IclPruneException($"{source}: expected a JSON object.");
        // The weights are stored in the dtype the model was loaded in, which may differ from the source's.
        node["torch_dtype"] = dtype switch
        {
            ScalarType.Float16 => "float16",
            ScalarType.BFloat16 => "bfloat16",
            _ => "float32",
        };
        AtomicFile.WriteAllText(Path.Combine(outFolder, ModelConfig.FileName),
            node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    internal static long ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };
}
