namespace IclPrune.Models;

/// <summary>
/// How a batch of rows attends to a batch-1 prefix cache they all continue (the evaluator's call: the
/// demonstrations once, then batches of queries). Both give the same attention up to float32 summation order.
/// </summary>
public enum PrefixAttention
{
    /// <summary>
    /// Broadcast on CPU, where `dev benchmark-eval` measured it 1.7-2.3x faster than the merge (docs/performance.md);
    /// Merged on CUDA, the design of Hydragen and FlashInfer for memory-bound devices (not measured here: no GPU).
    /// </summary>
    Auto,

    /// <summary>
    /// The prefix's keys and values are read once for the whole batch and never copied per row; the prefix and own
    /// parts are merged by log-sum-exp (Layers/SharedPrefixAttention, Hydragen). Memory-bound devices gain most.
    /// </summary>
    Merged,

    /// <summary>
    /// Each layer concatenates the prefix (a broadcast view) with the row's own keys, one transient copy per layer,
    /// and runs the fused scaled_dot_product_attention kernel. On CPU its single fused pass beat the merge's separate
    /// element-wise passes (GPT-2 small and a Llama GQA shape, prefixes of 190 and 600 tokens).
    /// </summary>
    Broadcast,
}
