using IclPrune.Models;
using IclPrune.Pruning;
using IclPrune.Search;
using IclPrune.Tokenization;

namespace IclPrune.Evaluation;

/// <summary>
/// The engine's one front door (docs/evaluation.md): a model, its tokenizer, a task's data and the evaluation options,
/// scored under any number of pruning plans. `eval`, the sweep, Algorithm 1, the demo and IclAssertions all run
/// through <see cref="Run(IReadOnlyList{PruneSpec}, SplitRole, IProgress{EvaluationProgress}?)"/>: resolve the specs
/// against the model, prune (restoring afterwards unless told otherwise), score, and build the result. Everything
/// that does not depend on the weights (items, each seed's demonstrations, every prompt's token ids) is prepared once
/// per split on first use, then only forward passes run.
/// </summary>
public sealed class EvaluationSession : IDisposable
{
    readonly ICausalLanguageModel _model;   // what runs score on: the model, or a layer-input reusing view of it
    readonly LayerInputReuse? _reuse;
    readonly ITextTokenizer _tokenizer;
    readonly SessionOptions _session;
    readonly bool _ownsPruner;
    readonly Dictionary<SplitRole, PreparedEvaluation> _prepared = new();
    readonly List<double> _runSeconds = [];
    PrunePlan? _permanent;
    (string Key, PreparedEvaluation Prepared)? _lastSubset;   // racing scores every rate on one slice in a row

    public EvaluationSession(LoadedModel loaded, TaskDataset data, EvaluationOptions options, SessionOptions? session = null)
        : this(loaded.Model, loaded.Tokenizer, new ModelIdentity(loaded.Id, loaded.Fingerprint), data, options, session)
    {
    }

    public EvaluationSession(ICausalLanguageModel model, ITextTokenizer tokenizer, ModelIdentity identity, TaskDataset data,
        EvaluationOptions options, SessionOptions? session = null)
    {
        _session = session ?? new SessionOptions();
        _reuse = _session.ReuseLayerInputs ? new LayerInputReuse(model) : null;
        _model = (ICausalLanguageModel?)_reuse ?? model;
        _tokenizer = tokenizer;
        Identity = identity;
        Data = data;
        Options = options;
        Map = PruneTargetMaps.For(model.Description, model.NamedParameters.Keys);
        _ownsPruner = _session.SharedPruner is null;
        Pruner = _session.SharedPruner ?? new Pruner(model.NamedParameters, _session.CacheSvd);
    }

    public ModelIdentity Identity { get; }
    public TaskDataset Data { get; }
    public EvaluationOptions Options { get; }
    public IPruneTargetMap Map { get; }
    public Pruner Pruner { get; }
    public int Layers => _model.Description.NumLayers;

    /// <summary>Runs so far (each one scores every item of its split, or of its subset, for every seed).</summary>
    public int Evaluations => _runSeconds.Count;

    /// <summary>
    /// Wall time of each run so far, in order, pruning included (tokenization is not: it happens once per split, on
    /// first use). What a sweep cell costs next to a full evaluation: the first run computes every layer, later runs
    /// of a sweep reuse the SVDs and the unchanged layers' inputs.
    /// </summary>
    public IReadOnlyList<double> RunSeconds => _runSeconds;

    /// <summary>Forwards that reused stored layer inputs, and those that computed them (0, 0 when reuse is off).</summary>
    public (int Hits, int Misses) Reuse => _reuse is null ? (0, 0) : (_reuse.Hits, _reuse.Misses);

    /// <summary>Called before each run with the specs and the split (for progress lines).</summary>
    public Action<IReadOnlyList<PruneSpec>, SplitRole>? Starting { get; init; }

    public CancellationToken Cancellation { get; init; }

    /// <summary>Resolves specs against this model: an invalid one fails here, before any weight is touched.</summary>
    public PrunePlan Resolve(IReadOnlyList<PruneSpec> specs) => PrunePlan.Resolve(specs, Map, Layers, _model.NamedParameters);

    /// <summary>The split's items and tokenized prompts, prepared on first use and kept for every later run.</summary>
    public PreparedEvaluation Prepared(SplitRole split)
    {
        if (!_prepared.TryGetValue(split, out var prepared))
        {
            prepared = PreparedEvaluation.Create(Data, _tokenizer, _model.Description.MaxPositions, Options with { Split = split });
            _prepared[split] = prepared;
        }
        return prepared;
    }

    /// <summary>Scores the options' split under <paramref name="specs"/> (empty: the model as loaded).</summary>
    public EvaluationResult Run(IReadOnlyList<PruneSpec> specs, IProgress<EvaluationProgress>? progress = null) =>
        Run(specs, Options.Split, progress);

    /// <summary>Scores <paramref name="split"/> under <paramref name="specs"/>; the signature of Search's PrunedEvaluator.</summary>
    public EvaluationResult Run(IReadOnlyList<PruneSpec> specs, SplitRole split) => Run(specs, split, null);

    public EvaluationResult Run(IReadOnlyList<PruneSpec> specs, SplitRole split, IProgress<EvaluationProgress>? progress) =>
        Run(specs, split, Prepared(split), progress);

    /// <summary>Items a whole-split run scores (after the limit).</summary>
    public int ItemCount(SplitRole split) => Prepared(split).Items.Count;

    /// <summary>
    /// Search's PrunedSubsetEvaluator (the racing rate search): the items at these positions of the split, prepared as a
    /// split of their own. Demonstrations depend only on the pool and the seed, so each item's prompt is the one it
    /// has in the whole split; the result keeps the whole task's fingerprint.
    /// </summary>
    public EvaluationResult RunItems(IReadOnlyList<PruneSpec> specs, SplitRole split, IReadOnlyList<int> positions)
    {
        string key = split.Name() + ":" + string.Join(",", positions);
        if (_lastSubset?.Key != key)
        {
            var all = Prepared(split).Items;
            var items = positions.Select(p => all[p]).ToList();
            var splits = split == SplitRole.Validation ? Data.Splits with { Validation = items } : Data.Splits with { Test = items };
            var subset = TaskDataset.FromSplits(Data.Task, splits, Data.DataDescription);
            _lastSubset = (key, PreparedEvaluation.Create(subset, _tokenizer, _model.Description.MaxPositions, Options with { Split = split, Limit = null }));
        }
        var result = Run(specs, split, _lastSubset.Value.Prepared, null);
        return result with { Task = result.Task with { Fingerprint = Data.Fingerprint } };
    }

    EvaluationResult Run(IReadOnlyList<PruneSpec> specs, SplitRole split, PreparedEvaluation prepared, IProgress<EvaluationProgress>? progress)
    {
        var plan = Resolve(specs);
        Starting?.Invoke(specs, split);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            return Score(plan, prepared, specs.Select(s => s.ToString()).ToList(), progress);
        }
        finally
        {
            _runSeconds.Add(clock.Elapsed.TotalSeconds);
        }
    }

    EvaluationResult Score(PrunePlan plan, PreparedEvaluation prepared, IReadOnlyList<string> names, IProgress<EvaluationProgress>? progress)
    {
        if (!_session.RestoreWeights)
        {
            PrunePermanently(plan);
            return prepared.Run(_model, Identity, names, Cancellation, progress);
        }

        var layers = plan.Steps.Where(s => !s.IsNoOp).Select(s => s.Matrix.Layer).ToHashSet();
        if (layers.Count > 0) Pruner.Cache.RetainLayers(layers);
        string? before = !_ownsPruner && layers.Count > 0 ? ParameterDigest.Of(_model.NamedParameters) : null;
        EvaluationResult result;
        using (Pruner.Apply(plan))
        {
            if (_reuse is not null) _reuse.ReuseFrom = plan.FirstChangedLayer;
            result = prepared.Run(_model, Identity, names, Cancellation, progress);
        }
        if (before is not null)
            ParameterDigest.Verify(before, _model.NamedParameters, $"after the pruned run ({string.Join(" ", names)}) of {Identity.Id}");
        return result;
    }

    void PrunePermanently(PrunePlan plan)
    {
        if (_permanent is null)
        {
            Pruner.ApplyPermanently(plan);
            _permanent = plan;
        }
        else if (_permanent.ToString() != plan.ToString())
            throw new InvalidOperationException(
                $"this session pruned the weights for good ({_permanent}); it cannot run another plan ({plan}). Use RestoreWeights.");
    }

    public void Dispose()
    {
        if (_ownsPruner) Pruner.Dispose();
        _reuse?.Dispose();
    }
}
