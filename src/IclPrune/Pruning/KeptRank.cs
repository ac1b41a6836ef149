namespace IclPrune.Pruning;

/// <summary>
/// How much of a matrix survives: a clipping rate xi in [0, 1) or an explicit rank. Rates are decimals, never
/// binary floats: docs/method.md section 1 shows the reference's float rank formula off by one for e.g. dim 1600 at 0.42.
/// </summary>
public readonly record struct KeptRank
{
    KeptRank(decimal? rate, int? rank)
    {
        Rate = rate;
        Rank = rank;
    }

    /// <summary>The clipping rate xi, or null when the rank is explicit.</summary>
    public decimal? Rate { get; }

    /// <summary>The explicit kept rank, or null when a rate is given.</summary>
    public int? Rank { get; }

    public bool IsNoOp => Rate == 0m;

    public static KeptRank FromRate(decimal rate)
    {
        if (rate < 0m || rate >= 1m)
            throw new UsageException($"clipping rate {rate} is outside [0, 1); e.g. 0.95 keeps 5% of the rank, or use rank=R.");
        return new KeptRank(rate, null);
    }

    public static KeptRank FromRank(int rank)
    {
        if (rank < 1) throw new UsageException($"rank={rank} is invalid: the kept rank must be at least 1.");
        return new KeptRank(null, rank);
    }

    /// <summary>
    /// The kept rank of an m x n matrix: floor(min(m, n) * (1 - xi)) in exact decimal arithmetic, at least 1;
    /// an explicit rank is capped at min(m, n) (keeping everything).
    /// </summary>
    public int For(long rows, long columns)
    {
        long full = Math.Min(rows, columns);
        if (full < 1) throw new ArgumentException($"matrix {rows}x{columns} has no rank to keep.");
        if (Rank is int r) return (int)Math.Min(r, full);
        decimal kept = decimal.Floor(full * (1m - Rate!.Value));
        return (int)Math.Max(1m, kept);
    }

    /// <summary>Compact spelling: "0.95" or "rank=64".</summary>
    public override string ToString() =>
        Rank is int r ? $"rank={r}" : Rate!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static KeptRank Parse(string text)
    {
        string t = text.Trim();
        if (t.StartsWith("rank=", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(t.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int rank))
                throw new UsageException($"'{text}' is not a rank: expected rank=R with R a positive integer.");
            return FromRank(rank);
        }
        if (!decimal.TryParse(t, System.Globalization.NumberStyles.AllowDecimalPoint | System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out decimal rate))
            throw new UsageException($"'{text}' is not a clipping rate: expected a decimal in [0, 1) such as 0.95, or rank=R.");
        return FromRate(rate);
    }
}
