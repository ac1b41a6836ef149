namespace IclPrune.Pruning;

/// <summary>
/// One matrix to prune: a parameter (its Hugging Face name) and, for fused matrices, the rows or columns of one
/// projection. <see cref="SliceIndex"/> null means the whole 2-D parameter. Which orientation the parameter is stored
/// in (Linear [out, in] or GPT-2 Conv1D [in, out]) does not matter: the truncated SVD of a transpose is the transpose
/// of the truncated SVD, and the kept rank uses min(m, n).
/// </summary>
public sealed record MatrixSelection(string Parameter, int Layer, PruneTarget Target, int SliceDim = 0, long[]? SliceIndex = null)
{
    /// <summary>A stable name for caches, journals and reports, e.g. "h.3.attn.c_attn.weight[q]".</summary>
    public string Key => SliceIndex is null ? Parameter : $"{Parameter}[{PruneTargetNames.Name(Target)}]";

    public bool Overlaps(MatrixSelection other)
    {
        if (Parameter != other.Parameter) return false;
        if (SliceIndex is null || other.SliceIndex is null) return true;
        if (SliceDim != other.SliceDim) return true;
        return SliceIndex.Intersect(other.SliceIndex).Any();
    }

    public bool SameMatrix(MatrixSelection other) =>
        Parameter == other.Parameter && SliceDim == other.SliceDim &&
        (SliceIndex is null ? other.SliceIndex is null : other.SliceIndex is not null && SliceIndex.SequenceEqual(other.SliceIndex));

    /// <summary>Indices of a contiguous block [start, start + length).</summary>
    public static long[] Range(long start, long length)
    {
        var index = new long[length];
        for (long i = 0; i < length; i++) index[i] = start + i;
        return index;
    }
}
