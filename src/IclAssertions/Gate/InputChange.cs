namespace IclAssertions.Gate;

/// <summary>What kind of input a change touches: it decides whether the gate compares across it or calls the snapshot stale.</summary>
public enum InputKind
{
    /// <summary>Task, split, task fingerprint (template, label words, data), shots, items: the snapshot is stale.</summary>
    Items,
    Model,
    Specs,
    /// <summary>Device, dtype, backend, batch size.</summary>
    Environment,
    /// <summary>Seed set and tool version: always compared across (items are averaged over each side's seeds).</summary>
    Run,
}

/// <summary>One field that differs between the approved and the received snapshot.</summary>
public sealed record InputChange(InputKind Kind, string Field, string Approved, string Received)
{
    public override string ToString() => $"{Field}: {Approved} -> {Received}";
}
