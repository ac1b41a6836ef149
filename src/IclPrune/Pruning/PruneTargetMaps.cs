using IclPrune.Models;
using IclPrune.Pruning.Families;

namespace IclPrune.Pruning;

/// <summary>Picks the family's target map from a loaded model's description and parameter names.</summary>
public static class PruneTargetMaps
{
    public static readonly IReadOnlyList<string> SupportedFamilies = ["gpt2", "gptj", "llama", "mistral", "qwen2", "gpt_neox"];

    public static IPruneTargetMap For(ModelDescription description, IEnumerable<string> parameterNames) =>
        For(description.ModelType, description.HiddenSize, description.NumHeads, parameterNames);

    public static IPruneTargetMap For(string modelType, int hiddenSize, int numHeads, IEnumerable<string> parameterNames) =>
        modelType switch
        {
            "gpt2" => new Gpt2PruneMap(hiddenSize, parameterNames),
            "gptj" => new GptJPruneMap(),
            "llama" or "mistral" or "qwen2" => new LlamaPruneMap(modelType),
            "gpt_neox" => new GptNeoXPruneMap(hiddenSize, numHeads),
            _ => throw new IclPruneException(
                $"pruning does not know model_type '{modelType}'; supported: {string.Join(", ", SupportedFamilies)}."),
        };
}
