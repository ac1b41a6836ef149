namespace IclPrune.Training;

/// <summary>
/// The train-tiny recipe. Defaults are the recipe that produced the bundled model (docs/tiny-model.md says why each
/// value was chosen and what was measured).
/// </summary>
public sealed record TinyTrainingOptions
{
    public int Seed { get; init; } = 1234;
    public int Steps { get; init; } = 12000;
    /// <summary>Prompts per step after the easy phase (long prompts: the cost per step is mostly here).</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Prompts per step in the easy phase (short prompts, cheap).</summary>
    public int EasyBatchSize { get; init; } = 64;
    /// <summary>Most demonstrations in a prompt after the easy phase (+1 for the query).</summary>
    public int MaxDemonstrations { get; init; } = 16;
    /// <summary>A model folder (config.json + model.safetensors of the same sizes) to start from instead of the init.</summary>
    public string? InitFrom { get; init; }
    public double LearningRate { get; init; } = 3e-3;
    public double MinLearningRate { get; init; } = 3e-4;
    public int WarmupSteps { get; init; } = 200;
    public double WeightDecay { get; init; } = 0.1;
    public double GradientClip { get; init; } = 1.0;
    public int Layers { get; init; } = 2;
    public int Embedding { get; init; } = 64;
    public int Heads { get; init; } = 4;
    public int Positions { get; init; } = 128;
    /// <summary>Start wpe from sinusoids instead of noise (TinyGpt2.InitializeSinusoidalPositions says why).</summary>
    public bool SinusoidalPositions { get; init; } = true;
    /// <summary>
    /// First phase: short prompts (2-6 demonstrations, 2-3 classes), one template, exact repeats only: the easiest
    /// setting for induction heads to form (TINY-ICL.md). 0 skips it.
    /// </summary>
    public int WarmupPhaseSteps { get; init; } = 3000;
    /// <summary>Templates used in the easy phase: the first N of SyntheticTemplate.All (1: plain only).</summary>
    public int EasyTemplates { get; init; } = 1;
    /// <summary>Templates used after the easy phase: the first N of SyntheticTemplate.All.</summary>
    public int Templates { get; init; } = 1;
    /// <summary>Steps during which every prompt is a "repeat" prompt (exact repeats: induction heads form first).</summary>
    public int RepeatOnlySteps { get; init; } = 4000;
    /// <summary>Share of repeat prompts reached (linearly) by the end of training; the rest need category matching.</summary>
    public double FinalRepeatFraction { get; init; } = 0.3;
    public int EvaluateEvery { get; init; } = 250;
    /// <summary>Threads for torch (0: leave torch's default). 1 by default: results are bit-reproducible for a fixed
    /// thread count, and on a shared 2-core machine one thread was faster than two.</summary>
    public int Threads { get; init; } = 1;

    public void Validate()
    {
        if (Steps < 1) throw new UsageException($"steps {Steps}: expected at least 1.");
        if (BatchSize < 1) throw new UsageException($"batch size {BatchSize}: expected at least 1.");
        if (LearningRate <= 0 || MinLearningRate < 0 || MinLearningRate > LearningRate)
            throw new UsageException($"learning rates {LearningRate} / {MinLearningRate}: expected 0 <= min <= max, max > 0.");
        if (FinalRepeatFraction is < 0 or > 1) throw new UsageException($"final repeat fraction {FinalRepeatFraction}: expected 0..1.");
        if (EvaluateEvery < 1) throw new UsageException($"evaluate every {EvaluateEvery}: expected at least 1.");
    }

    /// <summary>Warm-up then cosine decay to <see cref="MinLearningRate"/>.</summary>
    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / WarmupSteps;
        double progress = Math.Min(1.0, (double)(step - WarmupSteps) / Math.Max(1, Steps - WarmupSteps));
        return MinLearningRate + 0.5 * (LearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * progress));
    }

    public double RepeatFractionAt(int step)
    {
        if (step < RepeatOnlySteps) return 1.0;
        double progress = Math.Min(1.0, (double)(step - RepeatOnlySteps) / Math.Max(1, Steps - RepeatOnlySteps));
        return 1.0 + (FinalRepeatFraction - 1.0) * Math.Min(1.0, 2 * progress); // reaches the floor half-way
    }
}
