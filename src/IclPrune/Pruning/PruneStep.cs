namespace IclPrune.Pruning;

/// <summary>One matrix of a resolved plan: where it is, its (sliced) shape, and the rank it keeps.</summary>
public sealed record PruneStep(MatrixSelection Matrix, KeptRank Amount, long Rows, long Columns)
{
    public int FullRank => (int)Math.Min(Rows, Columns);
    public int Rank => Amount.For(Rows, Columns);
    /// <summary>True when the weight stays as it is (xi = 0, or a rank that keeps everything).</summary>
    public bool IsNoOp => Amount.IsNoOp || Rank >= FullRank;
}
