using System.Text.Json.Serialization;
using IclPrune.Evaluation;

namespace IclPrune.Search;

/// <summary>
/// What results.json holds for a sweep: accuracies and the paired change vs the unpruned model per cell and seed.
/// Timings are left out on purpose, so that a resumed sweep and an uninterrupted one write identical files. Dynamics:
/// the implicit-update norms per cell, only when the sweep recorded them (--icl-dynamics).
/// </summary>
public sealed record SweepSummary(string Split, SweepGrid Grid, AccuracySummary Baseline, IReadOnlyList<SweepCellSummary> Cells,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SweepDynamicsSummary? Dynamics = null)
{
    public static SweepSummary Of(SweepResult sweep) => new(
        sweep.Split.Name(),
        sweep.Grid,
        AccuracySummary.Of(sweep.Baseline),
        sweep.Cells.Select(c => new SweepCellSummary(
            c.Cell.Layer, c.Cell.Target, c.Cell.Rate, c.Cell.Key, c.Result.Accuracy, c.Result.AccuracyStd,
            c.Result.Accuracy - sweep.Baseline.Accuracy, SeedPairing.PerSeed(sweep.Baseline, c.Result))).ToList(),
        SweepDynamicsSummary.Of(sweep));
}

public sealed record AccuracySummary(double Accuracy, double AccuracyStd, IReadOnlyList<SeedAccuracy> PerSeed)
{
    public static AccuracySummary Of(EvaluationResult r) =>
        new(r.Accuracy, r.AccuracyStd, r.PerSeed.Select(s => new SeedAccuracy(s.Seed, s.N, s.Correct, s.Accuracy, s.Ci95)).ToList());
}

public sealed record SeedAccuracy(int Seed, int N, int Correct, double Accuracy, Interval Ci95);

public sealed record SweepCellSummary(
    int Layer, string Target, decimal Rate, string Spec, double Accuracy, double AccuracyStd, double Delta,
    IReadOnlyList<SeedComparison> PerSeed);
