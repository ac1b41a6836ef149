using IclPrune.Pruning;

namespace IclPrune.Models.Llama;

/// <summary>
/// LLaMA and the families that share its parameter names (Mistral, Qwen2): config (LlamaConfig), model (LlamaModel),
/// prune map (LlamaPruneMap). The differences (Qwen2's q/k/v bias, Mistral's sliding window) are config fields.
/// </summary>
internal sealed class LlamaFamily : ModelFamily
{
    public override IReadOnlyList<string> ModelTypes { get; } = ["llama", "mistral", "qwen2"];

    public override bool GatedMlp => true;

    internal override ModelConfig ParseConfig(ConfigJson config, string modelType) => LlamaConfig.Parse(config, modelType);

    internal override DecoderModel CreateModel(ModelConfig config, ModelLoadOptions options) => new LlamaForCausalLM(config, options);

    public override IPruneTargetMap CreatePruneMap(string modelType, int hiddenSize, int numHeads, IEnumerable<string> parameterNames) =>
        new LlamaPruneMap(modelType);
}
