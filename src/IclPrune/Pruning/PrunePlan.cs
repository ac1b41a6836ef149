using TorchSharp.Modules;

namespace IclPrune.Pruning;

/// <summary>
/// Prune specs resolved against one model: the matrices they name (per the family map), their shapes, their kept
/// ranks. Resolution is where invalid input is caught (a target the family lacks, a layer out of range), before any
/// weight is touched. When two specs name the same matrix the later one wins (a recipe can override one layer of
/// "all"); specs that overlap partially (q of c_attn and the whole qkv) are refused, since neither order is obviously meant.
/// </summary>
public sealed class PrunePlan
{
    PrunePlan(IReadOnlyList<PruneSpec> specs, IReadOnlyList<PruneStep> steps)
    {
        Specs = specs;
        Steps = steps;
    }

    public IReadOnlyList<PruneSpec> Specs { get; }
    public IReadOnlyList<PruneStep> Steps { get; }

    public static PrunePlan Empty { get; } = new([], []);

    /// <summary>The lowest layer the plan changes (null when it changes nothing): layers below it see unchanged inputs.</summary>
    public int? FirstChangedLayer => Steps.Where(s => !s.IsNoOp).Select(s => (int?)s.Matrix.Layer).Min();

    /// <summary>The specs resolved against <paramref name="model"/>'s family map, layers and parameter shapes.</summary>
    public static PrunePlan For(Models.ICausalLanguageModel model, IEnumerable<PruneSpec> specs) =>
        Resolve(specs, PruneTargetMaps.For(model.Description, model.NamedParameters.Keys), model.Description.NumLayers,
            model.NamedParameters);

    public static PrunePlan Resolve(IEnumerable<PruneSpec> specs, IPruneTargetMap map, int layerCount,
        IReadOnlyDictionary<string, Parameter> parameters) =>
        Resolve(specs, map, layerCount, name => parameters.TryGetValue(name, out var p) ? p.shape : null);

    public static PrunePlan Resolve(IEnumerable<PruneSpec> specs, IPruneTargetMap map, int layerCount, Func<string, long[]?> shapeOf)
    {
        var specList = specs.ToList();
        var steps = new List<PruneStep>();
        foreach (var spec in specList)
        {
            var targets = TargetsOf(spec, map);
            foreach (int layer in spec.Layers.Resolve(layerCount))
                foreach (var target in targets)
                {
                    var matrix = map.Locate(layer, target);
                    var (rows, columns) = ShapeOf(matrix, shapeOf);
                    var step = new PruneStep(matrix, spec.Amount, rows, columns);
                    int same = steps.FindIndex(s => s.Matrix.SameMatrix(matrix));
                    if (same >= 0)
                    {
                        steps[same] = step;
                        continue;
                    }
                    var clash = steps.FirstOrDefault(s => s.Matrix.Overlaps(matrix));
                    if (clash is not null)
                        throw new UsageException(
                            $"prune spec '{spec}' prunes {matrix.Key}, which overlaps {clash.Matrix.Key} named by another spec; " +
                            "prune the fused matrix whole (qkv) or its parts (q, k, v), not both.");
                    steps.Add(step);
                }
        }
        return new PrunePlan(specList, steps);
    }

    static IReadOnlyList<PruneTarget> TargetsOf(PruneSpec spec, IPruneTargetMap map)
    {
        var result = new List<PruneTarget>();
        foreach (var set in spec.Targets)
        {
            foreach (var target in set.Targets)
            {
                if (map.Targets.Contains(target))
                {
                    if (!result.Contains(target)) result.Add(target);
                }
                else if (!set.IsGroup)
                {
                    throw new UsageException(
                        $"target '{set.Name}' in prune spec '{spec}' does not exist in {map.Family} models; valid targets: " +
                        $"{string.Join(", ", map.Targets.Select(PruneTargetNames.Name))}; groups: {string.Join(", ", PruneTargetNames.GroupNames)}.");
                }
            }
        }
        return result;
    }

    static (long Rows, long Columns) ShapeOf(MatrixSelection matrix, Func<string, long[]?> shapeOf)
    {
        long[] shape = shapeOf(matrix.Parameter)
            ?? throw new IclPruneException($"the model has no parameter '{matrix.Parameter}' (expected for {PruneTargetNames.Name(matrix.Target)} of layer {matrix.Layer}).");
        if (shape.Length != 2)
            throw new IclPruneException($"parameter '{matrix.Parameter}' has shape [{string.Join(", ", shape)}]; pruning needs a 2-D matrix.");
        if (matrix.SliceIndex is null) return (shape[0], shape[1]);
        long max = matrix.SliceIndex.Max();
        if (max >= shape[matrix.SliceDim])
            throw new IclPruneException(
                $"parameter '{matrix.Parameter}' of shape [{shape[0]}, {shape[1]}] is too small for the {PruneTargetNames.Name(matrix.Target)} slice (index {max} on dim {matrix.SliceDim}).");
        return matrix.SliceDim == 0 ? (matrix.SliceIndex.LongLength, shape[1]) : (shape[0], matrix.SliceIndex.LongLength);
    }

    public override string ToString() => Specs.Count == 0 ? "(unpruned)" : string.Join(" ", Specs);
}
