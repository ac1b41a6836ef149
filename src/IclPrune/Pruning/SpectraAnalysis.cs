using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Pruning;

/// <summary>The spectrum of every prunable matrix of a model (`inspect --spectra`).</summary>
public sealed record ModelSpectra(string Family, int Layers, string Precision, IReadOnlyList<string> Grid, IReadOnlyList<MatrixSpectrum> Matrices);

/// <summary>
/// Computes <see cref="MatrixSpectrum"/> for every layer and every role of the family's "all" group (q, k, v, o and
/// the MLP matrices; fused families report the q/k/v slices, not the whole fused matrix, so numbers are comparable
/// across families). One svdvals per matrix: about half the cost of a full SVD (TORCHSHARP.md).
/// </summary>
public static class SpectraAnalysis
{
    public static ModelSpectra Analyze(IReadOnlyDictionary<string, Parameter> parameters, IPruneTargetMap map, int layerCount,
        IReadOnlyList<decimal> rates, ScalarType precision = ScalarType.Float64, IProgress<int>? layerDone = null,
        CancellationToken cancellation = default)
    {
        var grid = rates.Select(KeptRank.FromRate).ToList();
        var targets = PruneTargetNames.GroupMembers("all").Where(map.Targets.Contains).ToList();
        var spectra = new List<MatrixSpectrum>();
        for (int layer = 0; layer < layerCount; layer++)
        {
            foreach (var target in targets)
            {
                cancellation.ThrowIfCancellationRequested();
                var matrix = map.Locate(layer, target);
                var parameter = parameters.TryGetValue(matrix.Parameter, out var p) ? p
                    : throw new IclPruneException($"the model has no parameter '{matrix.Parameter}'.");
                spectra.Add(MatrixSpectrum.Of(parameter, matrix, grid, precision));
            }
            layerDone?.Report(layer);
        }
        return new ModelSpectra(map.Family, layerCount, precision == ScalarType.Float64 ? "float64" : "float32",
            grid.Select(g => g.ToString()).ToList(), spectra);
    }
}
