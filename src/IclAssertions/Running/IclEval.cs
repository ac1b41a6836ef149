using IclAssertions.Running;

namespace IclAssertions;

/// <summary>
/// Entry point of the fluent evaluation API:
/// <code>var result = await IclEval.Model("tiny").Task("synthetic-antonyms").Shots(4).Seeds(0, 1).Prune("mlp@-1:0.9").RunAsync();</code>
/// </summary>
public static class IclEval
{
    /// <param name="idOrPath">A checkpoint folder, a hub id in the local cache, or a folder name under ICL_PRUNE_MODELS.</param>
    public static EvalBuilder Model(string idOrPath) => new(idOrPath);
}
