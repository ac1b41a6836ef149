using IclPrune.Evaluation;
using IclPrune.Evaluation.Comparison;
using IclPrune.Pruning;
using IclPrune.Search;

namespace IclPrune.Demo;

/// <summary>Everything `demo` measured, as written to results.json.</summary>
public sealed record DemoResult(
    ModelIdentity Model, string Device, string DType, IReadOnlyList<int> Seeds,
    IReadOnlyList<ShotsPoint> ShotsCurve, ModelSpectra Spectra, string SweepTask, SweepSummary Sweep,
    IReadOnlyList<SearchResult> Searches, double Seconds,
    IReadOnlyList<PairedPower.Estimate> Power, IReadOnlyList<SweepCellTest> SweepTests, DemoDynamics? Dynamics);

/// <summary>One sweep cell against the unpruned model on the same items and seeds: the gate's paired comparison.</summary>
public sealed record SweepCellTest(int Layer, string Target, decimal Rate, AccuracyComparison Paired);

/// <summary>Accuracy of one task at one number of demonstrations (mean over seeds, per-seed values kept).</summary>
public sealed record ShotsPoint(string Task, int Shots, int TaskShots, double Chance, double Accuracy, double AccuracyStd,
    IReadOnlyList<SeedAccuracy> PerSeed);

/// <summary>Progress of one stage: <paramref name="Done"/> of <paramref name="Total"/> units (evaluations, layers).</summary>
public sealed record DemoProgress(string Stage, int Done, int Total, string Detail);
