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

    /// <summary>Score only the first N items of the split (in split order).</summary>
    public int? Limit { get; init; }

    /// <summary>Compute the demonstrations' KV cache once per seed and reuse it (false: run every full prompt; same predictions).</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Called after each batch; may be called from the evaluating thread only.</summary>
    public IProgress<EvaluationProgress>? Progress { get; init; }

    /// <summary>
    /// --batch-size auto: 8 on CPU (larger batches do not run faster on a few cores: the work is already a matmul over
    /// the batch), 32 on CUDA (where batching is what fills the device).
    /// </summary>
    public static int AutoBatchSize(Models.ModelDescription model) =>
        model.Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? 32 : 8;

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
