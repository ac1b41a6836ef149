using System.Text.Json;

namespace IclPrune.Checkpoints;

/// <summary>
/// The shard index of a sharded checkpoint (model.safetensors.index.json and pytorch_model.bin.index.json have the
/// same shape: {"metadata": {...}, "weight_map": {tensor: shard file}}), validated so that a shard name is a plain
/// file name inside the folder.
/// </summary>
public static class CheckpointIndex
{
    /// <summary>tensor name -> shard file name, in the index's order.</summary>
    public static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new IclPruneException($"{indexPath}: no object field 'weight_map'.");
            foreach (var p in map.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                    throw new IclPruneException($"{indexPath}: weight_map['{p.Name}'] must be a file name string.");
                string shard = p.Value.GetString()!;
                // A shard name is a plain file name; refuse paths so an index cannot point outside the folder.
                if (shard.Length == 0 || shard.Contains('/') || shard.Contains('\\') || shard is "." or "..")
                    throw new IclPruneException($"{indexPath}: weight_map['{p.Name}'] = '{shard}' is not a plain file name.");
                weightMap[p.Name] = shard;
            }
        }
        catch (JsonException e)
        {
            throw new IclPruneException($"{indexPath}: not valid JSON ({e.Message}).", e);
        }
        return weightMap;
    }
}
