using System.Globalization;

namespace IclPrune.Search;

/// <summary>
/// What one sweep cell cost next to one full evaluation, from the wall times of a session's runs in this process:
/// the first run is the full evaluation (every layer, every SVD computed), the later ones are cells that reuse the
/// SVD cache and the inputs of the layers they leave unchanged. Null when fewer than two runs happened here (a
/// resumed sweep whose cells were all in the journal).
/// </summary>
public sealed record SweepCost(double FullEvaluationSeconds, double MeanCellSeconds, int Cells)
{
    public double Ratio => FullEvaluationSeconds > 0 ? MeanCellSeconds / FullEvaluationSeconds : double.NaN;

    public static SweepCost? Of(IReadOnlyList<double> runSeconds) =>
        runSeconds.Count < 2 ? null : new SweepCost(runSeconds[0], runSeconds.Skip(1).Average(), runSeconds.Count - 1);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"cost per cell {MeanCellSeconds:F2} s over {Cells} cells = {Ratio:F2} x the first (full) evaluation's {FullEvaluationSeconds:F2} s");
}
