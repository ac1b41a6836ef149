using IclPrune.Evaluation;
using IclPrune.Evaluation.Prompts;
using IclPrune.Evaluation.Sampling;
using IclPrune.Models;
using static TorchSharp.torch;

namespace IclPrune.Dynamics;

/// <summary>Per-layer implicit-update norms of one task's demonstration prompts, averaged over seeds.</summary>
public sealed record IclDynamicsResult(string Task, IReadOnlyList<int> Seeds, int Heads, IReadOnlyList<LayerImplicitUpdate> Layers);

/// <summary>
/// Runs <see cref="ImplicitGradient"/> on a model as its weights are now (pruned or not): for each seed, the task's
/// demonstration prefix (the same draw the evaluator uses) goes through the model, the hidden states entering each
/// layer are captured and passed through that layer's attention input norm, and the norms are averaged over seeds.
/// GPT-2 family only (its fused c_attn and ln_1 are read by name); other families are refused with a clear error.
/// </summary>
public static class IclDynamics
{
    public static IclDynamicsResult Measure(LoadedModel loaded, TaskDataset data, IReadOnlyList<int> seeds)
    {
        var description = loaded.Model.Description;
        if (description.ModelType != "gpt2")
            throw new UsageException($"ICL dynamics are implemented for gpt2 models (fused c_attn, ln_1); {loaded.Id} is {description.ModelType}.");
        if (seeds.Count == 0) throw new UsageException("ICL dynamics: no seeds given; expected at least one.");
        var task = data.Task;
        var perSeed = new List<IReadOnlyList<LayerImplicitUpdate>>();
        using (no_grad())
        {
            var projections = Enumerable.Range(0, description.NumLayers).Select(l => Projections(loaded, l)).ToList();
            foreach (int seed in seeds)
            {
                using var scope = NewDisposeScope();
                var demos = DemonstrationSampler.Sample(task, data.Splits.DemonstrationPool, task.Demonstrations.Shots, seed);
                var ids = PromptEncoder.Encode(loaded.Tokenizer, PromptRenderer.Prefix(task, demos), withBos: true);
                var input = tensor(ids, dtype: ScalarType.Int64, device: device(description.Device)).unsqueeze(0); // [1, T]
                var hidden = Enumerable.Range(0, description.NumLayers).Select(l => AttentionInput(loaded, input, l)).ToList();
                perSeed.Add(ImplicitGradient.Compute(hidden, projections, description.NumHeads));
            }
            foreach (var p in projections) { p.Query.Dispose(); p.Key.Dispose(); p.Value.Dispose(); }
        }
        var mean = Enumerable.Range(0, description.NumLayers).Select(l => new LayerImplicitUpdate(l,
            perSeed.Average(s => s[l].DeltaWNorm), perSeed.Average(s => s[l].AccumulatedNorm),
            Enumerable.Range(0, description.NumHeads).Select(h => perSeed.Average(s => s[l].HeadDeltaWNorms[h])).ToList())).ToList();
        return new IclDynamicsResult(task.Id, seeds, description.NumHeads, mean);
    }

    // HF GPT-2 Conv1D stores c_attn as [in, out] with out = [q | k | v]; transposed to out x in.
    static AttentionProjections Projections(LoadedModel loaded, int layer)
    {
        var w = loaded.Model.NamedParameters[$"transformer.h.{layer}.attn.c_attn.weight"].detach().to(ScalarType.Float64, CPU);
        var parts = w.T.chunk(3, 0);                                                  // 3 x [D, D]
        var result = new AttentionProjections(parts[0].clone(), parts[1].clone(), parts[2].clone());
        w.Dispose();
        foreach (var p in parts) p.Dispose();
        return result;
    }

    // [T, D] float64: ln_1(hidden entering the layer), i.e. what the layer's attention reads.
    static Tensor AttentionInput(LoadedModel loaded, Tensor input, int layer)
    {
        using var output = loaded.Model.Forward(new DecoderInput(input) { CaptureLayer = layer });
        var x = output.LayerInput!.to(ScalarType.Float64, CPU)[0];                    // [T, D]
        var p = loaded.Model.NamedParameters;
        var weight = p[$"transformer.h.{layer}.ln_1.weight"].detach().to(ScalarType.Float64, CPU);
        var bias = p[$"transformer.h.{layer}.ln_1.bias"].detach().to(ScalarType.Float64, CPU);
        return nn.functional.layer_norm(x, [x.shape[1]], weight, bias, loaded.Config.NormEpsilon);
    }
}
