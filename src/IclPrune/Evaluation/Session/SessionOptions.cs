using IclPrune.Pruning;

namespace IclPrune.Evaluation;

/// <summary>How an <see cref="EvaluationSession"/> treats the model's weights between runs.</summary>
public sealed record SessionOptions
{
    /// <summary>
    /// True (default): each run prunes inside a scope that puts the original weights back bit for bit afterwards, so
    /// runs are independent. False: the first run prunes for good and keeps no copy of the originals (a one-shot
    /// `eval --prune`, where a copy would double the memory of every pruned matrix); a later run with another plan fails.
    /// </summary>
    public bool RestoreWeights { get; init; } = true;

    /// <summary>Keep each matrix's SVD for later rates of the same matrix (a sweep, the search).</summary>
    public bool CacheSvd { get; init; } = true;

    /// <summary>
    /// For runs of many plans on the same items (the sweep, the search): keep the hidden states entering the first
    /// layer a plan changes and rerun only the layers from there (Search/LayerInputReuse). Same predictions.
    /// </summary>
    public bool ReuseLayerInputs { get; init; }

    /// <summary>
    /// A pruner that outlives the session, e.g. IclAssertions' model cache, whose SVDs serve every test of the
    /// process. Null: the session makes its own. With a shared pruner the session also proves, by a digest of every
    /// parameter, that each run left the weights bit-identical (every later user of the model depends on it).
    /// </summary>
    public Pruner? SharedPruner { get; init; }
}
