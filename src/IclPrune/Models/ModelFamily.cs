using IclPrune.Pruning;

namespace IclPrune.Models;

/// <summary>
/// Everything the rest of the code needs to know about one model family, supplied by its folder
/// (Models/&lt;Family&gt;/&lt;Family&gt;Family.cs): the model_type values it reads, its config.json parser, its model
/// and its prune target map. <see cref="ModelFamilies"/> lists the families; nothing else switches on model_type.
/// </summary>
public abstract class ModelFamily
{
    /// <summary>The config.json model_type values this family reads (LLaMA's layout also serves mistral and qwen2).</summary>
    public abstract IReadOnlyList<string> ModelTypes { get; }

    /// <summary>True when the model learns absolute positions (GPT-2's wpe): their table counts toward the weights.</summary>
    public virtual bool LearnedPositions => false;

    /// <summary>True when the MLP is gated (gate, up, down: three matrices instead of two).</summary>
    public virtual bool GatedMlp => false;

    /// <summary>The normalized config of a config.json whose model_type is one of <see cref="ModelTypes"/>.</summary>
    internal abstract ModelConfig ParseConfig(ConfigJson config, string modelType);

    /// <summary>An empty (uninitialized) model of this family; the weight loader fills it.</summary>
    internal abstract DecoderModel CreateModel(ModelConfig config, ModelLoadOptions options);

    /// <summary>
    /// Where each pruning role lives in this family's parameters. <paramref name="parameterNames"/> are the names
    /// the map will be used on (GPT-2's prefix depends on them).
    /// </summary>
    public abstract IPruneTargetMap CreatePruneMap(string modelType, int hiddenSize, int numHeads, IEnumerable<string> parameterNames);
}
