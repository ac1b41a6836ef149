using IclPrune.Dynamics;

namespace IclPrune.Search;

/// <summary>
/// The implicit-update norms of a sweep (sweep --icl-dynamics; docs/icl-dynamics.md) in results.json: the unpruned
/// model's per-layer norms, each cell's, their changes against the unpruned model (sum over layers of ||dW_t||, and
/// ||G_L|| of the last layer, the same two numbers the demo correlates), and Spearman's rank correlation across cells
/// between each change and the accuracy change (NaN under 3 cells).
/// </summary>
public sealed record SweepDynamicsSummary(IclDynamicsResult Unpruned, IReadOnlyList<SweepCellNorms> Cells,
    double SpearmanDeltaW, double SpearmanLastG)
{
    public static SweepDynamicsSummary? Of(SweepResult sweep)
    {
        if (sweep.BaselineDynamics is not { } unpruned) return null;
        double unprunedSum = unpruned.Layers.Sum(l => l.DeltaWNorm), unprunedLast = unpruned.Layers[^1].AccumulatedNorm;
        var cells = sweep.Cells.Where(c => c.Dynamics is not null).Select(c =>
        {
            var norms = c.Dynamics!;
            double sum = norms.Layers.Sum(l => l.DeltaWNorm), last = norms.Layers[^1].AccumulatedNorm;
            return new SweepCellNorms(c.Cell.Key, c.Result.Accuracy - sweep.Baseline.Accuracy, sum, last,
                sum - unprunedSum, last - unprunedLast, norms.Layers);
        }).ToList();
        double Spearman(Func<SweepCellNorms, double> change) => cells.Count < 3
            ? double.NaN
            : MathNet.Numerics.Statistics.Correlation.Spearman(cells.Select(change), cells.Select(c => c.AccuracyDelta));
        return new SweepDynamicsSummary(unpruned, cells, Spearman(c => c.DeltaWSumChange), Spearman(c => c.LastGChange));
    }

    /// <summary>A rho as the console and results.md print it: NaN (fewer than 3 cells) is spelled out.</summary>
    public static string RhoText(double rho) =>
        double.IsNaN(rho) ? "n/a (fewer than 3 cells)" : rho.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One cell's norms: sum over layers of ||dW_t||, the last layer's ||G_L||, their changes, and the per-layer values.</summary>
public sealed record SweepCellNorms(string Spec, double AccuracyDelta, double DeltaWSum, double LastG,
    double DeltaWSumChange, double LastGChange, IReadOnlyList<LayerImplicitUpdate> Layers);
