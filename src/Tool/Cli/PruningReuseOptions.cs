using System.CommandLine;

namespace IclPrune.Tool.Cli;

/// <summary>The two reuse switches of the pruning evaluator, off for A/B runs (search, sweep; docs/performance.md).</summary>
public sealed class PruningReuseOptions
{
    public readonly Option<bool> NoSvdCache = new("--no-svd-cache")
    {
        Description = "Recompute the SVD for every rate instead of truncating one cached SVD (A/B).",
    };

    public readonly Option<bool> NoLayerReuse = new("--no-layer-reuse")
    {
        Description = "Run every layer for every configuration instead of reusing the inputs of the first pruned layer (A/B).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(NoSvdCache);
        command.Options.Add(NoLayerReuse);
    }

    public bool SvdCache(ParseResult parse) => !parse.GetValue(NoSvdCache);

    public bool LayerReuse(ParseResult parse) => !parse.GetValue(NoLayerReuse);
}
