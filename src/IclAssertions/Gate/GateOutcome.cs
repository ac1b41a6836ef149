namespace IclAssertions.Gate;

/// <summary>What the gate concluded; maps to NUnit's Passed / Failed / Inconclusive.</summary>
public enum GateOutcome
{
    /// <summary>Every item scored the same.</summary>
    Identical,
    /// <summary>Items changed but the change is not a significant drop and within the tolerance.</summary>
    WithinNoise,
    /// <summary>Significantly better: passes; accept the received snapshot to ratchet the baseline.</summary>
    SignificantImprovement,
    /// <summary>Significantly worse (exact McNemar p &lt; alpha): fails.</summary>
    SignificantDrop,
    /// <summary>Worse by more than the configured absolute tolerance: fails.</summary>
    DropBeyondTolerance,
    /// <summary>Model, task data/template, split, shots, seeds or prune specs differ: re-approve (Inconclusive).</summary>
    InputsChanged,
    /// <summary>Device or dtype differ (say a CPU float32 snapshot and a bf16 GPU run): Inconclusive.</summary>
    EnvironmentChanged,
}

public static class GateOutcomeExtensions
{
    public static bool IsPass(this GateOutcome o) => o is GateOutcome.Identical or GateOutcome.WithinNoise or GateOutcome.SignificantImprovement;
    public static bool IsFailure(this GateOutcome o) => o is GateOutcome.SignificantDrop or GateOutcome.DropBeyondTolerance;
    public static bool IsInconclusive(this GateOutcome o) => o is GateOutcome.InputsChanged or GateOutcome.EnvironmentChanged;
}
