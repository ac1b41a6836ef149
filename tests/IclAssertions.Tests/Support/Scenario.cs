namespace IclAssertions.Tests.Support;

/// <summary>
/// What the sample fixtures read when a test runs them: the result to assert on, the baseline, and the folder the
/// snapshot files go to (a temp folder per test, so the source tree is never written). Set by one test at a time
/// (the tests that use it are NonParallelizable).
/// </summary>
static class Scenario
{
    public static IclPrune.Evaluation.EvaluationResult? Result { get; set; }
    public static IclPrune.Evaluation.EvaluationResult? Baseline { get; set; }
    public static string Folder { get; set; } = "";
    public static double? MaxDrop { get; set; }
    public static GateRun? Gate { get; set; }
}

/// <summary>What TinyGateSample evaluates: a real model run on synth-4way, seeds 0-2.</summary>
sealed record GateRun(string Model = "tiny", int Shots = 8, string? Prune = null, string DType = "fp32");

/// <summary>Sets CI / ICL_PRUNE_ACCEPT for the duration of a test and restores them, whatever the outer CI says.</summary>
sealed class EnvironmentScope : IDisposable
{
    readonly string? _ci = Environment.GetEnvironmentVariable("CI");
    readonly string? _accept = Environment.GetEnvironmentVariable("ICL_PRUNE_ACCEPT");

    /// <param name="accept">The ICL_PRUNE_ACCEPT value ("1", "drop") or null for unset.</param>
    public EnvironmentScope(bool ci, string? accept = null)
    {
        Environment.SetEnvironmentVariable("CI", ci ? "true" : null);
        Environment.SetEnvironmentVariable("ICL_PRUNE_ACCEPT", accept);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("CI", _ci);
        Environment.SetEnvironmentVariable("ICL_PRUNE_ACCEPT", _accept);
    }
}
