using System.Diagnostics;
using IclPrune.Synthetic;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace IclPrune.Training;

/// <summary>One evaluation during training: k-shot accuracy per built-in task (demonstration seed 42).</summary>
/// <summary>
/// <see cref="Loss"/>: mean training loss since the previous evaluation; <see cref="InContextLoss"/>: the same over
/// labels whose class appeared earlier in the prompt (ln C while the model only knows WHICH words are labels).
/// </summary>
public sealed record TinyCheckpointScore(int Step, double Loss, double InContextLoss, IReadOnlyDictionary<string, double> Accuracy, double Seconds)
{
    public double Mean => Accuracy.Values.Average();
    public double Min => Accuracy.Values.Min();
}

/// <summary>Result of a training run: the best weights (by mean ICL accuracy during training) and the history.</summary>
public sealed record TinyTrainingResult(
    TinyGpt2Config Config, IReadOnlyDictionary<string, Tensor> BestWeights, TinyCheckpointScore Best,
    IReadOnlyList<TinyCheckpointScore> History, IReadOnlyList<double> StepLosses, double Seconds) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in BestWeights.Values) t.Dispose();
    }
}

/// <summary>
/// Trains the tiny GPT-2 on <see cref="IclPromptSampler"/> prompts: AdamW, warm-up + cosine schedule, gradient
/// clipping, an ICL evaluation every few hundred steps that keeps the best checkpoint (ICL can fade with more
/// training: Singh et al. 2023). Deterministic for a seed: prompts come from a seeded Random, the init from an explicit
/// torch.Generator (CPU kernels used here are deterministic for a fixed thread count).
/// </summary>
public sealed class TinyTrainer
{
    readonly SyntheticWorld _world;
    readonly ByteLevelBpeVocabulary _vocabulary;

    public TinyTrainer(SyntheticWorld world, ByteLevelBpeVocabulary vocabulary)
    {
        _world = world;
        _vocabulary = vocabulary;
    }

    /// <param name="onImproved">Called with the new best weights (state-dict names) whenever the mean accuracy
    /// improves, so a long run can save as it goes.</param>
    public TinyTrainingResult Train(TinyTrainingOptions options, Action<TinyCheckpointScore>? onEvaluated = null,
        CancellationToken cancellation = default, Action<TinyCheckpointScore, IReadOnlyDictionary<string, Tensor>>? onImproved = null,
        Action<TinyCheckpointScore, IReadOnlyDictionary<string, Tensor>>? onLast = null)
    {
        options.Validate();
        if (options.Threads > 0) torch.set_num_threads(options.Threads);
        var config = new TinyGpt2Config(_vocabulary.Count, options.Positions, options.Embedding, options.Layers, options.Heads,
            SinusoidalPositions: options.SinusoidalPositions);
        using var generator = new Generator((ulong)options.Seed);
        using var model = new TinyGpt2(config, generator);
        if (options.InitFrom is not null) LoadWeights(model, options.InitFrom);
        var sampler = new IclPromptSampler(_world, _vocabulary, options.Seed);
        var probe = new IclProbe(_world, _vocabulary);

        // Weight decay on matrices and embeddings only (not on LayerNorm gains or biases), as nanoGPT/GPT-2 do.
        var named = model.named_parameters().ToList();
        var decay = named.Where(p => p.parameter.dim() >= 2).Select(p => p.parameter).ToList();
        var noDecay = named.Where(p => p.parameter.dim() < 2).Select(p => p.parameter).ToList();
        var optimizer = optim.AdamW(
            [
                new TorchSharp.Modules.AdamW.ParamGroup(decay, new TorchSharp.Modules.AdamW.Options { weight_decay = options.WeightDecay }),
                new TorchSharp.Modules.AdamW.ParamGroup(noDecay, new TorchSharp.Modules.AdamW.Options { weight_decay = 0.0 }),
            ],
            options.LearningRate, beta1: 0.9, beta2: 0.98);

        var clock = Stopwatch.StartNew();
        var history = new List<TinyCheckpointScore>();
        Dictionary<string, Tensor>? best = null;
        TinyCheckpointScore? bestScore = null;
        var stepLosses = new List<double>(options.Steps);
        double lossSum = 0, icSum = 0;
        long icCount = 0;
        int lossCount = 0;
        for (int step = 0; step < options.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            bool easy = step < options.WarmupPhaseSteps;
            sampler.TemplateCount = easy ? options.EasyTemplates : options.Templates;
            sampler.MinDemonstrations = easy ? 2 : 4;
            sampler.MaxDemonstrations = easy ? 6 : options.MaxDemonstrations;
            sampler.MaxClasses = easy ? 3 : 4;
            sampler.RepeatFraction = options.RepeatFractionAt(step);
            double lr = options.LearningRateAt(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            using (var scope = NewDisposeScope())
            {
                var batch = sampler.Next(easy ? options.EasyBatchSize : options.BatchSize);
                var ids = tensor(batch.Ids, [batch.BatchSize, batch.Length]);
                var hidden = model.forward(ids).view(-1, config.NEmbd);                 // [B*T,D]
                var logits = model.Logits(hidden.index_select(0, tensor(batch.LossPositions))); // [N,V]
                var perLabel = F.cross_entropy(logits, tensor(batch.LossTargets), reduction: nn.Reduction.None); // [N]
                var loss = perLabel.mean();
                var mask = tensor(batch.Predictable);
                long seenCount = batch.Predictable.Count(p => p);
                if (seenCount > 0)
                {
                    icSum += perLabel.detach().masked_select(mask).sum().item<float>();
                    icCount += seenCount;
                }
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(model.parameters(), options.GradientClip);
                optimizer.step();
                double value = loss.item<float>();
                if (!double.IsFinite(value)) throw new IclPruneException($"training loss became {value} at step {step}.");
                stepLosses.Add(value);
                lossSum += value;
                lossCount++;
            }

            bool last = step == options.Steps - 1;
            if ((step + 1) % options.EvaluateEvery != 0 && !last) continue;
            var accuracy = SyntheticTask.BuiltIn.ToDictionary(t => t.Name,
                t => probe.Accuracy(model, t, t.Shots, SyntheticTask.DefaultDemonstrationSeed));
            var score = new TinyCheckpointScore(step + 1, lossSum / Math.Max(1, lossCount), icSum / Math.Max(1, icCount),
                accuracy, clock.Elapsed.TotalSeconds);
            lossSum = 0;
            icSum = 0;
            icCount = 0;
            lossCount = 0;
            history.Add(score);
            onEvaluated?.Invoke(score);
            onLast?.Invoke(score, model.state_dict());
            if (bestScore is null || score.Mean > bestScore.Mean)
            {
                if (best is not null) foreach (var t in best.Values) t.Dispose();
                best = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
                bestScore = score;
                onImproved?.Invoke(score, best);
            }
        }
        return new TinyTrainingResult(config, best!, bestScore!, history, stepLosses, clock.Elapsed.TotalSeconds);
    }

    // Continue from a written folder (e.g. DIR/last of an interrupted run): same sizes required, checked per tensor.
    static void LoadWeights(TinyGpt2 model, string folder)
    {
        using var checkpoint = Checkpoints.SafetensorsCheckpoint.Open(folder);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!checkpoint.Contains(name)) throw new IclPruneException($"{folder}: model.safetensors has no tensor '{name}'.");
            using var value = checkpoint.Read(name, ScalarType.Float32);
            if (!value.shape.SequenceEqual(parameter.shape))
                throw new IclPruneException($"{folder}: tensor '{name}' has shape [{string.Join(", ", value.shape)}], the model needs [{string.Join(", ", parameter.shape)}].");
            parameter.copy_(value);
        }
    }
}
