using IclPrune.Pruning;

namespace IclPrune.Models.Gpt2;

/// <summary>GPT-2: config (Gpt2Config), model (Gpt2Model), prune map (Gpt2PruneMap).</summary>
internal sealed class Gpt2Family : ModelFamily
{
    public override IReadOnlyList<string> ModelTypes { get; } = ["gpt2"];

    public override bool LearnedPositions => true;

    internal override ModelConfig ParseConfig(ConfigJson config, string modelType) => Gpt2Config.Parse(config);

    internal override DecoderModel CreateModel(ModelConfig config, ModelLoadOptions options) => new Gpt2ForCausalLM(config, options);

    public override IPruneTargetMap CreatePruneMap(string modelType, int hiddenSize, int numHeads, IEnumerable<string> parameterNames) =>
        new Gpt2PruneMap(hiddenSize, parameterNames);
}
