namespace IclPrune.Pruning;

/// <summary>Where each pruning role lives in one model family's parameters (one implementation per family).</summary>
public interface IPruneTargetMap
{
    /// <summary>The model_type this map serves (gpt2, gptj, llama, gpt_neox, ...).</summary>
    string Family { get; }

    /// <summary>The roles this family has, in vocabulary order.</summary>
    IReadOnlyList<PruneTarget> Targets { get; }

    /// <summary>The matrix of <paramref name="target"/> in layer <paramref name="layer"/>; the target must be in <see cref="Targets"/>.</summary>
    MatrixSelection Locate(int layer, PruneTarget target);
}
