namespace IclPrune.Evaluation;

/// <summary>What to score and how. Defaults: the test split, the task's shots, seed 0, batch 8, prefix cache on.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The split scored (the task's split plan says where each comes from).</summary>
    public SplitRole Split { get; init; } = SplitRole.Test;

    /// <summary>Demonstrations per prompt; null: the task's shots.</summary>
    public int? Shots { get; init; }

    /// <summary>One independent demonstration set per seed; every seed scores the same items.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0];

    /// <summary>Queries per forward pass (classification with multi-token answers and choice tasks: items, each with one row per class).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>
    /// Padded tokens per forward (rows x longest row in the batch), on top of <see cref="BatchSize"/>; null: batches of
    /// BatchSize items whatever their length. Short queries then share a forward in large numbers and long ones stay
    /// within the memory the budget stands for (Scoring/QueryBatches). Only float rounding depends on it.
    /// </summary>
    public int? TokensPerBatch { get; init; }

    /// <summary>Score only the first N items of the split (in split order).</summary>
    public int? Limit { get; init; }

    /// <summary>Compute the demonstrations' KV cache once per seed and reuse it (false: run every full prompt; same predictions).</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Called after each batch; may be called from the evaluating thread only.</summary>
    public IProgress<EvaluationProgress>? Progress { get; init; }

    /// <summary>
    /// --batch-size auto, the cap on items per forward: 64 on CPU, 256 on CUDA. The token budget
    /// (<see cref="AutoTokensPerBatch"/>) is what usually ends a batch; the cap bounds the per-row bookkeeping.
    /// </summary>
    public static int AutoBatchSize(Models.ModelDescription model) => IsCuda(model) ? 256 : 64;

    /// <summary>
    /// --batch-size auto, padded tokens per forward: 1,024 on CPU, where batches of 16-32 short queries or this budget
    /// ran ~8% faster than batches of 8 and equal to each other (benchmarks/EvalBenchmark, docs/performance.md), and
    /// longer queries then share a forward in smaller numbers; 16,384 on CUDA, which needs many rows to fill the device. Memory per forward grows with it: activations of
    /// tokens x (hidden + MLP width) per layer, and attention scores of tokens x heads x (prefix + row) floats.
    /// </summary>
    public static int AutoTokensPerBatch(Models.ModelDescription model) => IsCuda(model) ? 16384 : 1024;

    static bool IsCuda(Models.ModelDescription model) => model.Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase);

    /// <summary>Warnings meant for the user (e.g. prompts shortened to fit the context); each kind is reported once.</summary>
    public Action<string>? Warning { get; init; }
}

/// <summary>Progress so far: items scored out of the total (items x seeds), tokens run through the model, time spent.</summary>
public sealed record EvaluationProgress(long ItemsDone, long ItemsTotal, long Tokens, TimeSpan Elapsed)
{
    public double ItemsPerSecond => Elapsed.TotalSeconds > 0 ? ItemsDone / Elapsed.TotalSeconds : 0;

    public TimeSpan? Remaining =>
        ItemsDone == 0 ? null : TimeSpan.FromSeconds(Elapsed.TotalSeconds * (ItemsTotal - ItemsDone) / ItemsDone);
}
