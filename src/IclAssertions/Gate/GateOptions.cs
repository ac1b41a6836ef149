namespace IclAssertions.Gate;

/// <summary>
/// The gate's knobs. Alpha: the one-sided level of the item-clustered sign-flip test for a drop (and, separately, for
/// an improvement). MaxDrop: an absolute bound on the accuracy drop that fails even when the drop is not significant.
/// MinRecovery: fails when candidate accuracy is below this fraction of the approved accuracy (the "recovery" gate
/// compression pipelines use, e.g. 0.95). Require*: treat a change of the model, the prune specs or the environment
/// (device, dtype, backend, batch size) as a failure until the snapshot is re-approved, instead of comparing across it.
/// </summary>
public sealed record GateOptions(double Alpha = 0.05, double? MaxDrop = null, double? MinRecovery = null,
    bool RequireSameModel = false, bool RequireSameSpecs = false, bool RequireSameEnvironment = false)
{
    public static GateOptions Default { get; } = new();

    public GateOptions Validate()
    {
        if (!(Alpha > 0 && Alpha < 1)) throw new ArgumentOutOfRangeException(nameof(Alpha), $"alpha {Alpha} must lie in (0, 1).");
        if (MaxDrop is { } d && !(d >= 0 && d <= 1))
            throw new ArgumentOutOfRangeException(nameof(MaxDrop), $"max drop {d} must lie in [0, 1] (an absolute accuracy difference).");
        if (MinRecovery is { } r && !(r > 0 && r <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinRecovery), $"min recovery {r} must lie in (0, 1] (a fraction of the approved accuracy, e.g. 0.95).");
        return this;
    }
}
