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
    (string Key, PreparedEvaluation Prepared)? _lastSubset;   // racing scores every rate on one slice in a row

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

    public EvaluationResult Evaluate(IReadOnlyList<PruneSpec> specs, SplitRole split) => Evaluate(specs, split, Prepared(split));

    /// <summary>Items a whole-split evaluation scores (after --limit).</summary>
    public int ItemCount(SplitRole split) => Prepared(split).Items.Count;

    /// <summary>
    /// The <see cref="PrunedSubsetEvaluator"/> (racing): the items at these positions of the split, prepared as a split
    /// of their own. Demonstrations depend only on the pool and the seed, so each item's prompt is the one it has in
    /// the whole split; the result keeps the whole task's fingerprint.
    /// </summary>
    public EvaluationResult EvaluateItems(IReadOnlyList<PruneSpec> specs, SplitRole split, IReadOnlyList<int> positions)
    {
        string key = split + ":" + string.Join(",", positions);
        if (_lastSubset?.Key != key)
        {
            var all = Prepared(split).Items;
            var items = positions.Select(p => all[p]).ToList();
            var splits = split == SplitRole.Validation ? _data.Splits with { Validation = items } : _data.Splits with { Test = items };
            var subset = TaskDataset.FromSplits(_data.Task, splits, _data.DataDescription);
            _lastSubset = (key, IclEvaluator.Prepare(_model, _tokenizer, subset, _options with { Split = SplitName(split), Limit = null }));
        }
        var result = Evaluate(specs, split, _lastSubset.Value.Prepared);
        return result with { Task = result.Task with { Fingerprint = _data.Fingerprint } };
    }

    EvaluationResult Evaluate(IReadOnlyList<PruneSpec> specs, SplitRole split, PreparedEvaluation prepared)
    {
        var plan = Resolve(specs);
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
            var options = _options with { Split = SplitName(split) };
            prepared = IclEvaluator.Prepare(_model, _tokenizer, _data, options);
            _prepared[split] = prepared;
        }
        return prepared;
    }

    static string SplitName(SplitRole split) => split == SplitRole.Validation ? "validation" : "test";

    public void Dispose()
    {
        Pruner.Dispose();
        _reuse?.Dispose();
    }
}
