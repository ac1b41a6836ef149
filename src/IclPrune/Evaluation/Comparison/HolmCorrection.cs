namespace IclPrune.Evaluation.Comparison;

/// <summary>
/// Holm's step-down correction (Holm 1979, "A simple sequentially rejective multiple test procedure"): the i-th
/// smallest of m p-values is multiplied by m - i + 1, and the adjusted values are made monotone. Rejecting every
/// hypothesis whose adjusted p is at most alpha controls the family-wise error rate at alpha under any dependence.
/// Used by the demo's sweep findings and by the racing rate search.
/// </summary>
public static class HolmCorrection
{
    /// <summary>The adjusted p-values, in the input order.</summary>
    public static IReadOnlyList<double> Adjusted(IReadOnlyList<double> p)
    {
        var order = Enumerable.Range(0, p.Count).OrderBy(i => p[i]).ToArray();
        var adjusted = new double[p.Count];
        double running = 0;
        for (int rank = 0; rank < order.Length; rank++)
        {
            running = Math.Max(running, Math.Min(1.0, (p.Count - rank) * p[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
