namespace IclAssertions.Gate;

/// <summary>What the gate concluded; every outcome maps to NUnit's Passed or Failed, never Inconclusive.</summary>
public enum GateOutcome
{
    /// <summary>Every item scored the same as approved.</summary>
    Identical,
    /// <summary>Items changed, but not a significant drop, within the tolerance and the recovery bound.</summary>
    WithinNoise,
    /// <summary>Significantly better: passes; accept the received snapshot to ratchet the baseline.</summary>
    SignificantImprovement,
    /// <summary>Significantly worse (one-sided item-clustered sign-flip p &lt; alpha): fails.</summary>
    SignificantDrop,
    /// <summary>Worse by more than the configured absolute tolerance: fails.</summary>
    DropBeyondTolerance,
    /// <summary>Below the configured fraction of the approved accuracy: fails.</summary>
    BelowMinRecovery,
    /// <summary>The items or the prompt changed (task, split, template, label words, data, shots): fails until re-approved.</summary>
    StaleSnapshot,
    /// <summary>The seeds changed and a side has one seed: the seed-to-seed spread is unknown, so no test is possible: fails.</summary>
    NotComparable,
    /// <summary>The model, prune specs or environment changed and the test opted in to require them unchanged: fails.</summary>
    RequiredInputChanged,
}

public static class GateOutcomeExtensions
{
    public static bool IsPass(this GateOutcome o) => o is GateOutcome.Identical or GateOutcome.WithinNoise or GateOutcome.SignificantImprovement;
    public static bool IsFailure(this GateOutcome o) => !o.IsPass();

    /// <summary>An accuracy regression: accepting it needs an explicit "yes, accept the drop".</summary>
    public static bool IsDrop(this GateOutcome o) => o is GateOutcome.SignificantDrop or GateOutcome.DropBeyondTolerance or GateOutcome.BelowMinRecovery;
}
