using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Pruning;

/// <summary>How several matrices of one module combine into the layer's number (the paper does not say; docs/method.md section 2).</summary>
public enum ConditionReduce
{
    Max,
    Mean,
}

public sealed record MatrixCondition(string Matrix, string Target, double ConditionNumber);

/// <summary>The condition numbers of one module's matrices in one layer, and their reduction to one number.</summary>
public sealed record LayerCondition(int Layer, IReadOnlyList<MatrixCondition> Matrices)
{
    public double Reduce(ConditionReduce reduce) => reduce switch
    {
        ConditionReduce.Max => Matrices.Max(m => m.ConditionNumber),
        ConditionReduce.Mean => Matrices.Average(m => m.ConditionNumber),
        _ => throw new ArgumentOutOfRangeException(nameof(reduce), reduce, null),
    };
}

/// <summary>Condition numbers of a module (attn or mlp) of every layer, per matrix, as Algorithm 1 step 1 needs them.</summary>
public static class ModuleConditions
{
    public static readonly IReadOnlyList<string> Modules = ["attn", "mlp"];

    public static IReadOnlyList<PruneTarget> TargetsOf(string module, IPruneTargetMap map)
    {
        if (!Modules.Contains(module))
            throw new UsageException($"module '{module}' is invalid; Algorithm 1 prunes one of: {string.Join(", ", Modules)}.");
        return PruneTargetNames.GroupMembers(module).Where(map.Targets.Contains).ToList();
    }

    public static IReadOnlyList<LayerCondition> Compute(IReadOnlyDictionary<string, Parameter> parameters, IPruneTargetMap map,
        int layerCount, string module, ScalarType precision = ScalarType.Float64, IProgress<int>? progress = null)
    {
        var targets = TargetsOf(module, map);
        var layers = new List<LayerCondition>();
        for (int layer = 0; layer < layerCount; layer++)
        {
            var matrices = new List<MatrixCondition>();
            foreach (var target in targets)
            {
                var matrix = map.Locate(layer, target);
                var parameter = parameters.TryGetValue(matrix.Parameter, out var p) ? p
                    : throw new IclPruneException($"the model has no parameter '{matrix.Parameter}'.");
                var spectrum = MatrixSpectrum.Of(parameter, matrix, [], precision);
                matrices.Add(new MatrixCondition(matrix.Key, PruneTargetNames.Name(target), spectrum.ConditionNumber));
            }
            layers.Add(new LayerCondition(layer, matrices));
            progress?.Report(layer);
        }
        return layers;
    }
}
