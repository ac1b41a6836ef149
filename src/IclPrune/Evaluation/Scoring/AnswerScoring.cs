namespace IclPrune.Evaluation.Scoring;

/// <summary>How a class's continuation becomes one number (higher is better).</summary>
internal enum AnswerScoring
{
    /// <summary>Every answer is one token, the same for every item: the label logit at the query's last position
    /// (ordering label logits at one position equals ordering their log-probabilities: same normaliser).</summary>
    SingleTokenLogit,
    /// <summary>Sum of the answer tokens' log-probabilities (classification with multi-token label words).</summary>
    SumLogProb,
    /// <summary>Mean log-probability per answer token (choice tasks: candidates of different lengths).</summary>
    MeanLogProb,
}
