using IclPrune.Models.Gpt2;
using IclPrune.Models.GptJ;
using IclPrune.Models.GptNeoX;
using IclPrune.Models.Llama;

namespace IclPrune.Models;

/// <summary>
/// The one list of supported model families. Adding a family is a folder under Models/ and one line here
/// (docs/models.md, "Adding a family").
/// </summary>
public static class ModelFamilies
{
    public static IReadOnlyList<ModelFamily> All { get; } =
    [
        new Gpt2Family(),
        new GptJFamily(),
        new LlamaFamily(),
        new GptNeoXFamily(),
    ];

    /// <summary>Every model_type any family reads, in registry order.</summary>
    public static IReadOnlyList<string> SupportedModelTypes { get; } = All.SelectMany(f => f.ModelTypes).ToList();

    /// <summary>The family reading <paramref name="modelType"/>, or null when none does.</summary>
    public static ModelFamily? Find(string modelType) => All.FirstOrDefault(f => f.ModelTypes.Contains(modelType));

    /// <summary>"gpt2, gptj, ...": for errors that name what is supported.</summary>
    public static string SupportedList => string.Join(", ", SupportedModelTypes);
}
