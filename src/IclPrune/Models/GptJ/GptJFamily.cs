using IclPrune.Pruning;

namespace IclPrune.Models.GptJ;

/// <summary>GPT-J: config (GptJConfig), model (GptJModel), prune map (GptJPruneMap).</summary>
internal sealed class GptJFamily : ModelFamily
{
    public override IReadOnlyList<string> ModelTypes { get; } = ["gptj"];

    internal override ModelConfig ParseConfig(ConfigJson config, string modelType) => GptJConfig.Parse(config);

    internal override DecoderModel CreateModel(ModelConfig config, ModelLoadOptions options) => new GptJForCausalLM(config, options);

    public override IPruneTargetMap CreatePruneMap(string modelType, int hiddenSize, int numHeads, IEnumerable<string> parameterNames) =>
        new GptJPruneMap();
}
