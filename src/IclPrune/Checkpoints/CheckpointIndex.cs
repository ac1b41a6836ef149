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
        // InvalidOperationException: a name that is not UTF-8, which System.Text.Json reports only when it is read.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new IclPruneException($"{indexPath}: not valid UTF-8 JSON ({e.Message}).", e);
        }
        return weightMap;
    }

    /// <summary>
    /// Opens every shard the index names (each once) and maps each tensor to its open shard, checking that the shard
    /// exists and holds the tensor. On any error the shards opened so far are disposed. Shared by the safetensors and
    /// the PyTorch .bin readers, whose indexes have the same shape.
    /// </summary>
    public static (List<TFile> Files, Dictionary<string, TFile> ByTensor) OpenShards<TFile>(string folder, string indexPath,
        Func<string, TFile> open, Func<TFile, string, bool> holds) where TFile : IDisposable
    {
        var weightMap = ReadWeightMap(indexPath);
        var files = new Dictionary<string, TFile>(StringComparer.Ordinal);
        var byTensor = new Dictionary<string, TFile>(StringComparer.Ordinal);
        try
        {
            foreach (var (tensor, shard) in weightMap)
            {
                if (!files.TryGetValue(shard, out var file))
                {
                    string shardPath = Path.Combine(folder, shard);
                    if (!File.Exists(shardPath))
                        throw new IclPruneException($"{indexPath}: shard '{shard}' (for tensor '{tensor}') does not exist in {folder}.");
                    files[shard] = file = open(shardPath);
                }
                if (!holds(file, tensor))
                    throw new IclPruneException($"{indexPath}: tensor '{tensor}' is mapped to {shard}, which has no such tensor.");
                byTensor[tensor] = file;
            }
        }
        catch
        {
            foreach (var f in files.Values)
                f.Dispose();
            throw;
        }
        return (files.Values.ToList(), byTensor);
    }
}
