using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IclPrune.Pruning;

/// <summary>
/// A YAML file of prune specs, for configurations too long for the command line. Format (docs/pruning.md):
/// <code>
/// prune:
///   - spec: mlp@26:0.95            # the compact form, or the same fields spelled out:
///   - targets: [q, v]              # or a single word: attn
///     layers: -2                   # 26, 0-3, all, -1
///     rank: 64                     # or rate: 0.9
/// </code>
/// </summary>
public static class PruneRecipe
{
    static readonly string[] EntryKeys = ["spec", "targets", "layers", "rate", "rank"];

    public static IReadOnlyList<PruneSpec> Load(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"prune recipe '{path}' does not exist.");
        return Parse(File.ReadAllText(path), path);
    }

    public static IReadOnlyList<PruneSpec> Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new UsageException($"prune recipe '{source}' is not valid YAML at line {e.Start.Line}: {e.Message}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("prune"), out var list) || list is not YamlSequenceNode entries)
            throw new UsageException($"prune recipe '{source}' must be a mapping with a 'prune:' list of entries.");

        var specs = new List<PruneSpec>();
        foreach (var node in entries)
        {
            string where = $"prune recipe '{source}' line {node.Start.Line}";
            if (node is YamlScalarNode compact)
            {
                specs.Add(WithContext(() => PruneSpec.Parse(compact.Value ?? ""), where));
                continue;
            }
            if (node is not YamlMappingNode entry) throw new UsageException($"{where}: an entry must be a spec string or a mapping.");
            var fields = new Dictionary<string, YamlNode>();
            foreach (var (key, value) in entry.Children)
            {
                string name = ((YamlScalarNode)key).Value ?? "";
                if (!EntryKeys.Contains(name))
                    throw new UsageException($"{where}: unknown field '{name}'; valid fields: {string.Join(", ", EntryKeys)}.");
                fields[name] = value;
            }
            specs.Add(WithContext(() => Entry(fields, where), where));
        }
        return specs;
    }

    static PruneSpec Entry(Dictionary<string, YamlNode> fields, string where)
    {
        if (fields.TryGetValue("spec", out var spec))
        {
            if (fields.Count > 1) throw new UsageException($"{where}: 'spec' cannot be combined with other fields.");
            return PruneSpec.Parse(Scalar(spec, "spec", where));
        }
        if (!fields.TryGetValue("targets", out var targetsNode)) throw new UsageException($"{where}: missing field 'targets'.");
        if (!fields.TryGetValue("layers", out var layersNode)) throw new UsageException($"{where}: missing field 'layers'.");
        bool hasRate = fields.TryGetValue("rate", out var rate), hasRank = fields.TryGetValue("rank", out var rank);
        if (hasRate == hasRank) throw new UsageException($"{where}: give exactly one of 'rate' or 'rank'.");

        string targets = targetsNode is YamlSequenceNode seq
            ? string.Join(",", seq.Select(n => Scalar(n, "targets", where)))
            : Scalar(targetsNode, "targets", where);
        var amount = hasRate
            ? KeptRank.Parse(Scalar(rate!, "rate", where))
            : KeptRank.Parse("rank=" + Scalar(rank!, "rank", where));
        return new PruneSpec(PruneSpec.ParseTargets(targets, targets), LayerSelection.Parse(Scalar(layersNode, "layers", where)), amount);
    }

    static string Scalar(YamlNode node, string field, string where) =>
        node is YamlScalarNode s && s.Value is not null ? s.Value : throw new UsageException($"{where}: field '{field}' must be a single value.");

    static PruneSpec WithContext(Func<PruneSpec> parse, string where)
    {
        try
        {
            return parse();
        }
        catch (UsageException e) when (!e.Message.StartsWith("prune recipe", StringComparison.Ordinal))
        {
            throw new UsageException($"{where}: {e.Message}");
        }
    }
}
