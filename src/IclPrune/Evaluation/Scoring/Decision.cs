namespace IclPrune.Evaluation.Scoring;

/// <summary>
/// The paper's rule (docs/method.md section 3): an item is correct iff the gold class scores strictly higher than every
/// other class. A tie is wrong, so a model that scores every class the same gets 0, not 1/C.
/// </summary>
public static class Decision
{
    public static bool IsCorrect(IReadOnlyList<double> scores, int gold)
    {
        for (int c = 0; c < scores.Count; c++)
            if (c != gold && !(scores[gold] > scores[c])) return false;
        return true;
    }

    /// <summary>The highest-scoring class; on a tie the first (the prediction shown in reports, not the correctness rule).</summary>
    public static int Predict(IReadOnlyList<double> scores)
    {
        int best = 0;
        for (int c = 1; c < scores.Count; c++)
            if (scores[c] > scores[best]) best = c;
        return best;
    }
}
