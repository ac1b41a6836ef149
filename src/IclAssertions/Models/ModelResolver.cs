using IclAssertions.Running;
using IclPrune.Models;

namespace IclAssertions.Models;

/// <summary>
/// Turns what a suite names into a loaded checkpoint: a folder, a hub id in the local cache, or a name under
/// ICL_PRUNE_MODELS (so a suite can say "gpt-j-6b" and each machine says where its checkpoints are). Before that, the
/// run may map the name to another model altogether (<see cref="Alias"/>).
/// </summary>
public static class ModelResolver
{
    public const string ModelsVariable = "ICL_PRUNE_MODELS";

    public static LoadedModel Load(string idOrPath, ModelLoadOptions options) => ModelLoader.Load(Resolve(idOrPath), options);

    /// <summary>
    /// The model the run substitutes for <paramref name="name"/>: TestRunParameters <c>model.NAME</c>, else
    /// ICL_PRUNE_MODEL_NAME (<see cref="RunSwitches.ModelVariable"/>); the name itself when neither is set.
    /// E.g. ICL_PRUNE_MODEL_TINY=/models/gpt2-small runs a suite written against the bundled model on GPT-2.
    /// </summary>
    public static string Alias(string name) => RunSwitches.ModelAlias(name)?.Value ?? name;

    public static string Resolve(string idOrPath)
    {
        if (Directory.Exists(idOrPath)) return idOrPath;
        string? root = Environment.GetEnvironmentVariable(ModelsVariable);
        if (!string.IsNullOrEmpty(root) && Directory.Exists(Path.Combine(root, idOrPath))) return Path.Combine(root, idOrPath);
        return idOrPath;
    }
}
