using IclPrune.Pruning;

namespace IclPrune.Models.GptNeoX;

/// <summary>GPT-NeoX (Pythia): config (GptNeoXConfig), model (GptNeoXModel), prune map (GptNeoXPruneMap).</summary>
internal sealed class GptNeoXFamily : ModelFamily
{
    public override IReadOnlyList<string> ModelTypes { get; } = ["gpt_neox"];

    internal override ModelConfig ParseConfig(ConfigJson config, string modelType) => GptNeoXConfig.Parse(config);

    internal override DecoderModel CreateModel(ModelConfig config, ModelLoadOptions options) => new GptNeoXForCausalLM(config, options);

    public override IPruneTargetMap CreatePruneMap(string modelType, int hiddenSize, int numHeads, IEnumerable<string> parameterNames) =>
        new GptNeoXPruneMap(hiddenSize, numHeads);
}
