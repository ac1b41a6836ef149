using IclPrune.Models;

namespace IclAssertions.Models;

/// <summary>
/// Turns what a suite names into a loaded checkpoint: a folder, a hub id in the local cache, or a name under
/// ICL_PRUNE_MODELS (so a suite can say "gpt-j-6b" and each machine says where its checkpoints are).
/// </summary>
public static class ModelResolver
{
    public const string ModelsVariable = "ICL_PRUNE_MODELS";

    public static LoadedModel Load(string idOrPath, ModelLoadOptions options) => ModelLoader.Load(Resolve(idOrPath), options);

    public static string Resolve(string idOrPath)
    {
        if (Directory.Exists(idOrPath)) return idOrPath;
        string? root = Environment.GetEnvironmentVariable(ModelsVariable);
        if (!string.IsNullOrEmpty(root) && Directory.Exists(Path.Combine(root, idOrPath))) return Path.Combine(root, idOrPath);
        return idOrPath;
    }
}
