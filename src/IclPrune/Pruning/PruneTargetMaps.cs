using IclPrune.Models;

namespace IclPrune.Pruning;

/// <summary>Picks the family's target map (<see cref="ModelFamilies"/>) from a loaded model's description and parameter names.</summary>
public static class PruneTargetMaps
{
    public static IPruneTargetMap For(ModelDescription description, IEnumerable<string> parameterNames) =>
        For(description.ModelType, description.HiddenSize, description.NumHeads, parameterNames);

    public static IPruneTargetMap For(string modelType, int hiddenSize, int numHeads, IEnumerable<string> parameterNames)
    {
        var family = ModelFamilies.Find(modelType) ?? throw new IclPruneException(
            $"pruning does not know model_type '{modelType}'; supported: {ModelFamilies.SupportedList}.");
        return family.CreatePruneMap(modelType, hiddenSize, numHeads, parameterNames);
    }
}
