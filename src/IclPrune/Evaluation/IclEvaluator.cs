using IclPrune.Models;
using IclPrune.Tokenization;

namespace IclPrune.Evaluation;

/// <summary>
/// The engine's front door: score a model on a task the paper's way (docs/evaluation.md). For many runs on the same
/// model and task (pruning search, sweeps), call <see cref="Prepare"/> once and <see cref="Evaluate(PreparedEvaluation, ICausalLanguageModel, ModelIdentity, IReadOnlyList{string}?, CancellationToken)"/> per configuration.
/// </summary>
public static class IclEvaluator
{
    /// <summary>Samples demonstrations and tokenizes every prompt for this model's tokenizer and context; no forward pass.</summary>
    public static PreparedEvaluation Prepare(LoadedModel model, TaskDataset data, EvaluationOptions options) =>
        Prepare(model.Model, model.Tokenizer, data, options);

    public static EvaluationResult Evaluate(LoadedModel model, TaskDataset data, EvaluationOptions options,
        IReadOnlyList<string>? pruneSpecs = null, CancellationToken cancellation = default) =>
        Evaluate(Prepare(model, data, options), model, pruneSpecs, cancellation);

    /// <summary>Runs a prepared evaluation on the model's current weights (e.g. after pruning it in place).</summary>
    public static EvaluationResult Evaluate(PreparedEvaluation prepared, LoadedModel model,
        IReadOnlyList<string>? pruneSpecs = null, CancellationToken cancellation = default, IProgress<EvaluationProgress>? progress = null) =>
        Evaluate(prepared, model.Model, new ModelIdentity(model.Id, model.Fingerprint), pruneSpecs, cancellation, progress);

    public static PreparedEvaluation Prepare(ICausalLanguageModel model, ITextTokenizer tokenizer, TaskDataset data, EvaluationOptions options) =>
        PreparedEvaluation.Create(data, tokenizer, model.Description.MaxPositions, options);

    public static EvaluationResult Evaluate(ICausalLanguageModel model, ITextTokenizer tokenizer, ModelIdentity identity, TaskDataset data,
        EvaluationOptions options, IReadOnlyList<string>? pruneSpecs = null, CancellationToken cancellation = default) =>
        Evaluate(Prepare(model, tokenizer, data, options), model, identity, pruneSpecs, cancellation);

    public static EvaluationResult Evaluate(PreparedEvaluation prepared, ICausalLanguageModel model, ModelIdentity identity,
        IReadOnlyList<string>? pruneSpecs = null, CancellationToken cancellation = default, IProgress<EvaluationProgress>? progress = null)
    {
        var run = prepared.Run(model, cancellation, progress);
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
            ItemKeys = prepared.Items.Select(Data.ItemKey.Of).ToList(),
            ItemPreviews = prepared.Items.Select(Data.ItemKey.Preview).ToList(),
            UsedCache = prepared.Options.UseCache,
            BatchSize = prepared.Options.BatchSize,
        };
    }

    static string DTypeName(TorchSharp.torch.ScalarType type) => ModelLoadOptions.DTypeName(type);
}
