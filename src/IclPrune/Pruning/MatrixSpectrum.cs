using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Pruning;

/// <summary>
/// Spectral summary of one matrix: sigma_max, sigma_min, condition number sigma_max / sigma_min (2-norm, docs/method.md
/// section 1; infinite when sigma_min is 0), effective rank, and the fraction of spectral energy (sum of sigma^2)
/// that each clipping rate keeps. Effective rank is the entropy rank of Roy and Vetterli (2007):
/// exp(-sum p_i ln p_i) with p_i = sigma_i / sum sigma; it is 1 for a rank-1 matrix and min(m, n) for a flat spectrum.
/// </summary>
public sealed record MatrixSpectrum(
    string Matrix, int Layer, string Target, long Rows, long Columns,
    double SigmaMax, double SigmaMin, double ConditionNumber, double EffectiveRank,
    IReadOnlyList<RateEnergy> EnergyKept)
{
    /// <summary>
    /// Singular values in float64 by default: in float32, sigma_min of a matrix with condition number near 1e7
    /// (LLaMA attention, the paper's Fig. 3: docs/method.md section 1) is below float32 resolution relative to sigma_max.
    /// </summary>
    public static MatrixSpectrum Of(Parameter parameter, MatrixSelection matrix, IEnumerable<KeptRank> grid,
        ScalarType precision = ScalarType.Float64)
    {
        double[] sigma;
        using (NewDisposeScope())
        using (no_grad())
        {
            var slice = Pruner.Extract(parameter, matrix).to(precision);
            if (slice.shape[0] < slice.shape[1]) slice = slice.t();
            sigma = linalg.svdvals(slice.contiguous()).to(ScalarType.Float64).cpu().data<double>().ToArray();
        }
        long rows = matrix.SliceIndex is null || matrix.SliceDim == 1 ? parameter.shape[0] : matrix.SliceIndex.LongLength;
        long columns = matrix.SliceIndex is null || matrix.SliceDim == 0 ? parameter.shape[1] : matrix.SliceIndex.LongLength;
        return FromSingularValues(matrix.Key, matrix.Layer, PruneTargetNames.Name(matrix.Target), rows, columns, sigma, grid);
    }

    /// <summary>The summary of descending singular values <paramref name="sigma"/> of an m x n matrix.</summary>
    public static MatrixSpectrum FromSingularValues(string name, int layer, string target, long rows, long columns,
        IReadOnlyList<double> sigma, IEnumerable<KeptRank> grid)
    {
        double max = sigma[0], min = sigma[^1];
        double condition = min > 0 ? max / min : double.PositiveInfinity;
        double sum = sigma.Sum();
        double entropy = 0;
        if (sum > 0)
            foreach (double s in sigma)
            {
                double p = s / sum;
                if (p > 0) entropy -= p * Math.Log(p);
            }
        double totalEnergy = sigma.Sum(s => s * s);
        var energy = new List<RateEnergy>();
        foreach (var amount in grid)
        {
            int r = amount.For(rows, columns);
            double kept = totalEnergy > 0 ? sigma.Take(r).Sum(s => s * s) / totalEnergy : 1.0;
            energy.Add(new RateEnergy(amount.ToString(), r, kept));
        }
        return new MatrixSpectrum(name, layer, target, rows, columns, max, min, condition,
            sum > 0 ? Math.Exp(entropy) : 0, energy);
    }
}

/// <summary>At one grid point: the kept rank and the fraction of sum sigma^2 it keeps.</summary>
public sealed record RateEnergy(string Amount, int Rank, double EnergyKept);
