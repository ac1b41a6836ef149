namespace IclPrune.Evaluation.Statistics;

/// <summary>
/// The 2x2 table of two classifiers scored on the same items: Both right, only the Baseline right, only the
/// Candidate right, Neither. McNemar's test and the paired interval only look at these four counts.
/// </summary>
public readonly record struct PairedCounts(long Both, long BaselineOnly, long CandidateOnly, long Neither)
{
    public long N => Both + BaselineOnly + CandidateOnly + Neither;
    public long Discordant => BaselineOnly + CandidateOnly;
    public double BaselineAccuracy => N == 0 ? 0 : (double)(Both + BaselineOnly) / N;
    public double CandidateAccuracy => N == 0 ? 0 : (double)(Both + CandidateOnly) / N;
    /// <summary>Candidate accuracy minus baseline accuracy, (c - b) / n.</summary>
    public double Difference => N == 0 ? 0 : (double)(CandidateOnly - BaselineOnly) / N;

    /// <summary>Counts item i of <paramref name="baseline"/> against item i of <paramref name="candidate"/>.</summary>
    public static PairedCounts From(IReadOnlyList<bool> baseline, IReadOnlyList<bool> candidate)
    {
        if (baseline.Count != candidate.Count)
            throw new IclPruneException(
                $"Paired comparison needs the same items on both sides: baseline has {baseline.Count} items, candidate has {candidate.Count}.");
        long both = 0, baseOnly = 0, candOnly = 0, neither = 0;
        for (int i = 0; i < baseline.Count; i++)
        {
            switch (baseline[i], candidate[i])
            {
                case (true, true): both++; break;
                case (true, false): baseOnly++; break;
                case (false, true): candOnly++; break;
                default: neither++; break;
            }
        }
        return new PairedCounts(both, baseOnly, candOnly, neither);
    }

    public static PairedCounts operator +(PairedCounts x, PairedCounts y) =>
        new(x.Both + y.Both, x.BaselineOnly + y.BaselineOnly, x.CandidateOnly + y.CandidateOnly, x.Neither + y.Neither);
}
