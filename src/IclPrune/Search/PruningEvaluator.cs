using IclPrune.Evaluation;
using IclPrune.Models;
using IclPrune.Pruning;
using IclPrune.Tokenization;

namespace IclPrune.Search;

/// <summary>
/// The <see cref="PrunedEvaluator"/> of a real model and task: resolves the specs against the model, prunes inside a
/// restoring scope, scores with the ICL evaluation engine (prepared once per split: sampling and tokenization do not
/// depend on the weights), restores. One SVD per matrix per run through the pruner's cache.
/// </summary>
public sealed class PruningEvaluator : IDisposable
{
    readonly ICausalLanguageModel _model;
    readonly LayerInputReuse? _reuse;
    readonly ITextTokenizer _tokenizer;
    readonly ModelIdentity _identity;
    readonly TaskDataset _data;
    readonly EvaluationOptions _options;
    readonly Dictionary<SplitRole, PreparedEvaluation> _prepared = new();

    public PruningEvaluator(ICausalLanguageModel model, ITextTokenizer tokenizer, ModelIdentity identity, TaskDataset data,
        EvaluationOptions options, bool cacheSvd = true, bool reuseLayerInputs = true)
    {
        _reuse = reuseLayerInputs ? new LayerInputReuse(model) : null;
        _model = (ICausalLanguageModel?)_reuse ?? model;
        _tokenizer = tokenizer;
        _identity = identity;
        _data = data;
        _options = options;
        Map = PruneTargetMaps.For(model.Description, model.NamedParameters.Keys);
        Pruner = new Pruner(model.NamedParameters, cacheSvd);
    }

    public IPruneTargetMap Map { get; }
    public Pruner Pruner { get; }
    public int Layers => _model.Description.NumLayers;
    public int Evaluations { get; private set; }

    /// <summary>Forwards that reused stored layer inputs, and those that computed them (0, 0 when reuse is off).</summary>
    public (int Hits, int Misses) Reuse => _reuse is null ? (0, 0) : (_reuse.Hits, _reuse.Misses);

    /// <summary>Called before each evaluation with the specs (for progress lines).</summary>
    public Action<IReadOnlyList<PruneSpec>, SplitRole>? Starting { get; init; }

    public CancellationToken Cancellation { get; init; }

    public PrunePlan Resolve(IReadOnlyList<PruneSpec> specs) => PrunePlan.Resolve(specs, Map, Layers, _model.NamedParameters);

    public EvaluationResult Evaluate(IReadOnlyList<PruneSpec> specs, SplitRole split)
    {
        var plan = Resolve(specs);
        var prepared = Prepared(split);
        Starting?.Invoke(specs, split);
        Evaluations++;
        var layers = plan.Steps.Where(s => !s.IsNoOp).Select(s => s.Matrix.Layer).ToHashSet();
        if (layers.Count > 0) Pruner.Cache.RetainLayers(layers);
        using var scope = Pruner.Apply(plan);
        if (_reuse is not null) _reuse.ReuseFrom = plan.FirstChangedLayer;
        return IclEvaluator.Evaluate(prepared, _model, _identity, specs.Select(s => s.ToString()).ToList(), Cancellation);
    }

    PreparedEvaluation Prepared(SplitRole split)
    {
        if (!_prepared.TryGetValue(split, out var prepared))
        {
            var options = _options with { Split = split == SplitRole.Validation ? "validation" : "test" };
            prepared = IclEvaluator.Prepare(_model, _tokenizer, _data, options);
            _prepared[split] = prepared;
        }
        return prepared;
    }

    public void Dispose()
    {
        Pruner.Dispose();
        _reuse?.Dispose();
    }
}
