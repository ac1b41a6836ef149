using IclPrune.Models;
using IclPrune.Tokenization;

namespace IclPrune.Evaluation;

/// <summary>
/// The engine's front door: score a model on a task the paper's way (docs/evaluation.md). For many runs on the same
/// model and task (pruning search, sweeps), call <see cref="Prepare"/> once and <see cref="Evaluate(PreparedEvaluation, ICausalLanguageModel, ModelIdentity, IReadOnlyList{string}?, CancellationToken)"/> per configuration.
/// </summary>
public static class IclEvaluator
{
    public static PreparedEvaluation Prepare(ICausalLanguageModel model, ITextTokenizer tokenizer, TaskDataset data, EvaluationOptions options) =>
        PreparedEvaluation.Create(data, tokenizer, model.Description.MaxPositions, options);

    public static EvaluationResult Evaluate(ICausalLanguageModel model, ITextTokenizer tokenizer, ModelIdentity identity, TaskDataset data,
        EvaluationOptions options, IReadOnlyList<string>? pruneSpecs = null, CancellationToken cancellation = default) =>
        Evaluate(Prepare(model, tokenizer, data, options), model, identity, pruneSpecs, cancellation);

    public static EvaluationResult Evaluate(PreparedEvaluation prepared, ICausalLanguageModel model, ModelIdentity identity,
        IReadOnlyList<string>? pruneSpecs = null, CancellationToken cancellation = default)
    {
        var run = prepared.Run(model, cancellation);
        var description = model.Description;
        return new EvaluationResult
        {
            Model = identity,
            Task = new TaskIdentity(prepared.Data.Task.Id, prepared.Options.Split, prepared.Data.Fingerprint),
            PruneSpecs = pruneSpecs ?? [],
            Shots = prepared.Shots,
            Seeds = run.PerSeed.Select(s => s.Seed).ToList(),
            Device = description.Device,
            DType = DTypeName(description.DType),
            Backend = Runtime.TorchRuntime.Backend,
            Accuracy = run.Accuracy,
            AccuracyStd = run.AccuracyStd,
            PerSeed = run.PerSeed,
            Timing = run.Timing,
            TruncatedPrompts = run.TruncatedPrompts,
            Items = prepared.Items.Select(i => $"{i.Split}:{i.Row}").ToList(),
            UsedCache = prepared.Options.UseCache,
            BatchSize = prepared.Options.BatchSize,
        };
    }

    static string DTypeName(TorchSharp.torch.ScalarType type) => type switch
    {
        TorchSharp.torch.ScalarType.Float32 => "fp32",
        TorchSharp.torch.ScalarType.BFloat16 => "bf16",
        TorchSharp.torch.ScalarType.Float16 => "fp16",
        TorchSharp.torch.ScalarType.Float64 => "fp64",
        var other => other.ToString().ToLowerInvariant(),
    };
}
