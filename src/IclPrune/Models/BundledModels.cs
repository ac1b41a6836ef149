namespace IclPrune.Models;

/// <summary>
/// Models shipped inside the tool: src/IclPrune/EmbeddedModel/NAME/ is copied as Content to models/NAME/ beside the
/// assemblies (tool, tests, NUnit library, packed tool alike). `--model tiny` resolves here through
/// <see cref="Checkpoints.HubCache.ResolveModelFolder"/>, then loads through the same HF loader as any checkpoint.
/// </summary>
public static class BundledModels
{
    /// <summary>The alias of the tiny GPT-2 trained by `dev train-tiny` (docs/tiny-model.md).</summary>
    public const string TinyAlias = "tiny";

    public static string TinyFolder => Path.Combine(AppContext.BaseDirectory, "models", TinyAlias);

    /// <summary>The bundled folder for an alias, or null when the name is not a bundled model.</summary>
    public static string? Resolve(string name) => name == TinyAlias ? TinyFolder : null;
}
