using IclPrune.Dynamics;
using IclPrune.Evaluation;
using IclPrune.Models;
using IclPrune.Search;

namespace IclPrune.Demo;

/// <summary>One sweep cell's implicit-update norms and accuracy change against the unpruned model.</summary>
public sealed record CellDynamics(int Layer, string Target, decimal Rate, double AccuracyDelta,
    double DeltaWSumChange, double LastGChange, IclDynamicsResult Pruned);

/// <summary>
/// The implicit-gradient norms (docs/icl-dynamics.md) of the unpruned model and of every sweep cell on the sweep's
/// task, and Spearman's rank correlation across cells between the change in the norms and the change in accuracy:
/// does a smaller implicit update go with better ICL, as the paper's bound suggests?
/// Norm changes: sum over layers of ||dW_t||, and ||G_L|| of the last layer (what the query finally sees).
/// </summary>
public sealed record DemoDynamics(IclDynamicsResult Unpruned, IReadOnlyList<CellDynamics> Cells,
    double SpearmanDeltaW, double SpearmanLastG)
{
    /// <summary>Null for models whose family the diagnostics do not cover (GPT-2 only).</summary>
    public static DemoDynamics? Measure(LoadedModel loaded, EvaluationSession session, TaskDataset data,
        IReadOnlyList<int> seeds, SweepResult sweep, CancellationToken cancellation)
    {
        if (loaded.Model.Description.ModelType != "gpt2") return null;
        var unpruned = IclDynamics.Measure(loaded, data, seeds);
        var cells = new List<CellDynamics>();
        foreach (var cell in sweep.Cells)
        {
            cancellation.ThrowIfCancellationRequested();
            IclDynamicsResult pruned;
            using (session.Pruner.Apply(session.Resolve([cell.Cell.Spec])))
                pruned = IclDynamics.Measure(loaded, data, seeds);
            cells.Add(new CellDynamics(cell.Cell.Layer, cell.Cell.Target, cell.Cell.Rate,
                cell.Result.Accuracy - sweep.Baseline.Accuracy,
                pruned.Layers.Sum(l => l.DeltaWNorm) - unpruned.Layers.Sum(l => l.DeltaWNorm),
                pruned.Layers[^1].AccumulatedNorm - unpruned.Layers[^1].AccumulatedNorm, pruned));
        }
        double Spearman(Func<CellDynamics, double> norm) => cells.Count < 3
            ? double.NaN
            : MathNet.Numerics.Statistics.Correlation.Spearman(cells.Select(norm), cells.Select(c => c.AccuracyDelta));
        return new DemoDynamics(unpruned, cells, Spearman(c => c.DeltaWSumChange), Spearman(c => c.LastGChange));
    }
}
