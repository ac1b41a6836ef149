using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Pruning;

/// <summary>
/// The lifetime of one applied plan. Holds a copy of every parameter it changed (on the parameter's device, in its
/// dtype) and copies them back on dispose: restore is a byte copy, so it is bit-exact, and it also runs when applying
/// fails halfway. Use with `using`.
/// </summary>
public sealed class PruneScope : IDisposable
{
    readonly Pruner _pruner;
    readonly Dictionary<string, (Parameter Parameter, Tensor Original)> _saved = new();
    bool _disposed;

    internal PruneScope(Pruner pruner) => _pruner = pruner;

    /// <summary>Matrices changed, with their kept rank (for reports).</summary>
    public List<(MatrixSelection Matrix, int Rank)> Applied { get; } = new();

    internal void Apply(PruneStep step, Parameter parameter)
    {
        var matrix = step.Matrix;
        // Decompose before saving/writing: the cache key must see the original weights.
        var factors = _pruner.Factors(parameter, matrix);
        try
        {
            if (!_saved.ContainsKey(matrix.Parameter))
            {
                var copy = parameter.detach().clone();
                copy.DetachFromDisposeScope();
                _saved[matrix.Parameter] = (parameter, copy);
            }
            Write(parameter, step, factors);
            Applied.Add((matrix, step.Rank));
        }
        finally
        {
            if (!_pruner.Cache.Owns(factors)) factors.Dispose();
        }
    }

    /// <summary>Writes the rank-r reconstruction of <paramref name="step"/>'s matrix into the parameter, in its dtype.</summary>
    internal static void Write(Parameter parameter, PruneStep step, SvdFactors factors)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var approx = factors.Reconstruct(step.Rank).to(parameter.dtype);   // sliced shape, model dtype
        if (step.Matrix.SliceIndex is null)
        {
            parameter.copy_(approx);
        }
        else
        {
            var index = tensor(step.Matrix.SliceIndex, device: parameter.device);
            parameter.index_copy_(step.Matrix.SliceDim, index, approx);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        using (no_grad())
        {
            foreach (var (parameter, original) in _saved.Values)
            {
                parameter.copy_(original);
                original.Dispose();
            }
        }
        _saved.Clear();
        _pruner.Released(this);
    }
}
