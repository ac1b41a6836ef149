namespace IclAssertions.Gate;

/// <summary>
/// The gate's knobs. Alpha: the significance level of the exact McNemar test (two-sided). MaxDrop: an optional
/// absolute bound on the accuracy drop that fails even when the drop is not significant (a small task cannot
/// show significance for a 5-point drop; a tolerance still catches it).
/// </summary>
public sealed record GateOptions(double Alpha = 0.05, double? MaxDrop = null)
{
    public static GateOptions Default { get; } = new();

    public GateOptions Validate()
    {
        if (!(Alpha > 0 && Alpha < 1)) throw new ArgumentOutOfRangeException(nameof(Alpha), $"alpha {Alpha} must lie in (0, 1).");
        if (MaxDrop is { } d && !(d >= 0 && d <= 1))
            throw new ArgumentOutOfRangeException(nameof(MaxDrop), $"max drop {d} must lie in [0, 1] (an absolute accuracy difference).");
        return this;
    }
}
