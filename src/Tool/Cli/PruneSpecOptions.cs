using System.CommandLine;
using IclPrune.Models;
using IclPrune.Pruning;

namespace IclPrune.Tool.Cli;

/// <summary>--prune SPEC (repeatable) and --prune-file RECIPE.yaml, resolved against a loaded model.</summary>
public sealed class PruneSpecOptions
{
    public readonly Option<string[]> Prune = new("--prune")
    {
        Description = "Prune spec " + PruneSpec.FormatHelp + ". Repeatable.",
        AllowMultipleArgumentsPerToken = false,
        HelpName = "SPEC",
    };

    public readonly Option<string?> PruneFile = new("--prune-file")
    {
        Description = "YAML recipe with a 'prune:' list of specs (docs/pruning.md); applied before --prune specs.",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Prune);
        command.Options.Add(PruneFile);
    }

    /// <summary>The specs as given, recipe first (unparsed text is a usage error, before the model loads).</summary>
    public IReadOnlyList<PruneSpec> Specs(ParseResult parse)
    {
        var specs = new List<PruneSpec>();
        if (parse.GetValue(PruneFile) is { } file) specs.AddRange(PruneRecipe.Load(file));
        foreach (string text in parse.GetValue(Prune) ?? []) specs.Add(PruneSpec.Parse(text));
        return specs;
    }

}
