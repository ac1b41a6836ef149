using IclPrune.Evaluation;
using IclPrune.Models;

namespace IclAssertions.Running;

/// <summary>
/// The pruning engine the fluent API hands prune specs to. Found once by looking in IclPrune for the one public
/// IPruneSpecApplier with a parameterless constructor (the one `eval --prune` uses); a suite may set its own.
/// </summary>
public static class PruneAppliers
{
    static IPruneSpecApplier? _default;

    public static IPruneSpecApplier Default
    {
        get => _default ??= Discover();
        set => _default = value;
    }

    static IPruneSpecApplier Discover()
    {
        var type = typeof(IPruneSpecApplier).Assembly.GetExportedTypes()
            .FirstOrDefault(t => t is { IsClass: true, IsAbstract: false } && typeof(IPruneSpecApplier).IsAssignableFrom(t) &&
                                 t.GetConstructor(Type.EmptyTypes) is not null);
        return type is null ? new MissingApplier() : (IPruneSpecApplier)Activator.CreateInstance(type)!;
    }

    sealed class MissingApplier : IPruneSpecApplier
    {
        public IReadOnlyList<string> Apply(ICausalLanguageModel model, IReadOnlyList<string> specs) =>
            throw new IclPrune.IclPruneException(
                $"prune specs [{string.Join(", ", specs)}] need a pruning engine, and this IclPrune build has no IPruneSpecApplier; " +
                "set IclAssertions.Running.PruneAppliers.Default.");
    }
}
