namespace IclPrune.Evaluation.Comparison;

/// <summary>
/// The power of the item-clustered sign-flip test (<see cref="ClusteredSignFlipTest"/>, the one the snapshot gate and
/// Algorithm 1 use) to detect a paired change of a given size on a measured baseline, by simulation: each draw builds
/// a candidate from the baseline's own (item, seed) outcomes and runs the real test on the pair.
/// Change model, per (item, seed) outcome: a correct one turns wrong with probability <c>churn</c>; a wrong one turns
/// right with probability <c>churn + up</c>, where <c>up</c> makes the expected accuracy change exactly <c>shift</c>.
/// churn 0 is the kindest case (every change goes one way); a positive churn adds the symmetric noise a real pruned
/// model shows (some items won, some lost), which costs power.
/// </summary>
public static class PairedPower
{
    /// <param name="Power">Fraction of draws in which the two-sided p was at most <paramref name="Alpha"/>.</param>
    public sealed record Estimate(double Shift, double Churn, double Alpha, int Draws, int Items, int Seeds, double Power);

    public static Estimate Simulate(ItemScores baseline, double shift, double churn = 0, double alpha = 0.05,
        int draws = 400, int seed = 19)
    {
        double a = baseline.Accuracy;
        if (baseline.Items == 0) throw new IclPruneException("power: the baseline scored no items.");
        if (a >= 1.0) throw new IclPruneException($"power: the baseline is at accuracy {a:F3}; no item can improve, so a positive shift cannot be simulated.");
        // E[change] = (1 - a)(churn + up) - a churn  =>  up = (shift - churn (1 - 2a)) / (1 - a).
        double up = (shift - churn * (1 - 2 * a)) / (1 - a);
        if (up < 0 || churn + up > 1 || churn < 0)
            throw new IclPruneException(
                $"power: a shift of {shift} with churn {churn} is not reachable from baseline accuracy {a:F3} (needs a wrong->right probability of {churn + up:F3}, expected 0 to 1).");

        var random = new Random(seed);
        int hits = 0;
        var correct = new int[baseline.Items];
        for (int draw = 0; draw < draws; draw++)
        {
            for (int i = 0; i < baseline.Items; i++)
            {
                int right = baseline.Correct[i], wrong = baseline.Seeds - right, now = 0;
                for (int s = 0; s < right; s++) if (random.NextDouble() >= churn) now++;
                for (int s = 0; s < wrong; s++) if (random.NextDouble() < churn + up) now++;
                correct[i] = now;
            }
            var candidate = baseline with { Correct = (int[])correct.Clone() };
            if (ClusteredSignFlipTest.Run(baseline, candidate).TwoSided <= alpha) hits++;
        }
        return new Estimate(shift, churn, alpha, draws, baseline.Items, baseline.Seeds, hits / (double)draws);
    }
}
