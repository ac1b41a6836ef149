using IclPrune.Evaluation.Statistics;

namespace IclAssertions.Gate;

/// <summary>Baseline vs candidate on one seed's demonstration set.</summary>
public sealed record SeedComparison(int Seed, double BaselineAccuracy, double CandidateAccuracy, PairedComparison Paired)
{
    public int N => (int)Paired.Counts.N;
}
