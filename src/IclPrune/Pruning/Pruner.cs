using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Pruning;

/// <summary>
/// Applies resolved plans to one model's parameters. Each <see cref="Apply"/> returns a scope that puts the original
/// weights back bit for bit when disposed; one scope at a time, so that every SVD (and every rate) starts from the
/// original weights, never from an already pruned matrix (docs/method.md section 2: the reference prunes cumulatively).
/// </summary>
public sealed class Pruner : IDisposable
{
    readonly IReadOnlyDictionary<string, Parameter> _parameters;
    PruneScope? _active;

    public Pruner(IReadOnlyDictionary<string, Parameter> parameters, bool cacheSvd = true)
    {
        _parameters = parameters;
        Cache = new SvdCache(cacheSvd);
    }

    public SvdCache Cache { get; }

    public PruneScope Apply(PrunePlan plan)
    {
        if (_active is not null)
            throw new InvalidOperationException("a pruning scope is already active on this model; dispose it before applying another plan.");
        var scope = new PruneScope(this);
        _active = scope;
        try
        {
            foreach (var step in plan.Steps)
            {
                if (step.IsNoOp) continue;   // xi = 0 keeps the weight bit-identical: no SVD, no write
                scope.Apply(step, Parameter(step.Matrix.Parameter));
            }
        }
        catch
        {
            scope.Dispose();
            throw;
        }
        return scope;
    }

    /// <summary>
    /// Prunes for good, keeping no copy of the originals (e.g. `eval --prune`, where the process ends after one
    /// evaluation and a copy would double the memory of every pruned matrix).
    /// </summary>
    public void ApplyPermanently(PrunePlan plan)
    {
        if (_active is not null)
            throw new InvalidOperationException("a pruning scope is active on this model; dispose it before pruning permanently.");
        foreach (var step in plan.Steps)
        {
            if (step.IsNoOp) continue;
            var parameter = Parameter(step.Matrix.Parameter);
            var factors = Factors(parameter, step.Matrix);
            try
            {
                PruneScope.Write(parameter, step, factors);
            }
            finally
            {
                if (!Cache.Owns(factors)) factors.Dispose();
            }
        }
        Cache.Clear();   // the weights changed: cached factors no longer describe them
    }

    internal Parameter Parameter(string name) =>
        _parameters.TryGetValue(name, out var p) ? p : throw new IclPruneException($"the model has no parameter '{name}'.");

    internal void Released(PruneScope scope)
    {
        if (ReferenceEquals(_active, scope)) _active = null;
    }

    /// <summary>The selected (sliced) matrix of the current weights, a copy.</summary>
    internal static Tensor Extract(Parameter parameter, MatrixSelection matrix)
    {
        if (matrix.SliceIndex is null) return parameter.detach().clone();
        using var index = tensor(matrix.SliceIndex, device: parameter.device);
        return parameter.detach().index_select(matrix.SliceDim, index);
    }

    internal SvdFactors Factors(Parameter parameter, MatrixSelection matrix) =>
        Cache.Get(matrix, () =>
        {
            using var slice = Extract(parameter, matrix);
            return SvdFactors.Decompose(slice);
        });

    public void Dispose()
    {
        _active?.Dispose();
        Cache.Dispose();
    }
}
