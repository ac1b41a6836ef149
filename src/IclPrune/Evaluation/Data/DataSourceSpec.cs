namespace IclPrune.Evaluation.Data;

/// <summary>
/// Where each split's file is: from `--data train=PATH,validation=PATH,test=PATH`, or from a folder holding
/// SPLIT.{jsonl,csv,tsv,parquet} (or Hugging Face shards SPLIT-00000-of-0000N.parquet), or the task's bundled data.
/// </summary>
public sealed class DataSourceSpec
{
    readonly Dictionary<string, Func<RawSplit>> _splits;

    DataSourceSpec(string description, Dictionary<string, Func<RawSplit>> splits)
    {
        Description = description;
        _splits = splits;
    }

    /// <summary>For reports: the folder, the list of files, or the bundled data's name.</summary>
    public string Description { get; }

    public IReadOnlyCollection<string> SplitNames => _splits.Keys;

    public bool Has(string split) => _splits.ContainsKey(split);

    public RawSplit Read(string split) =>
        _splits.TryGetValue(split, out var read)
            ? read()
            : throw new IclPruneException($"the data ({Description}) has no split '{split}'; it has: {string.Join(", ", _splits.Keys.Order())}.");

    /// <summary>Parses a data source: a folder, or comma-separated SPLIT=PATH pairs.</summary>
    public static DataSourceSpec Parse(string value)
    {
        if (Directory.Exists(value)) return FromFolder(value);
        if (!value.Contains('='))
            throw new UsageException($"data '{value}' is neither a folder nor SPLIT=PATH pairs (e.g. train=data/train.parquet,test=data/test.parquet).");
        var splits = new Dictionary<string, Func<RawSplit>>();
        foreach (string pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1)
                throw new UsageException($"data '{value}': '{pair}' is not SPLIT=PATH.");
            string split = pair[..eq].Trim(), path = pair[(eq + 1)..].Trim();
            if (splits.ContainsKey(split)) throw new UsageException($"data '{value}' names split '{split}' twice.");
            if (!File.Exists(path)) throw new IclPruneException($"data file {Path.GetFullPath(path)} (split {split}) does not exist.");
            splits[split] = () => DataFileReader.Read(split, path);
        }
        return new DataSourceSpec(value, splits);
    }

    public static DataSourceSpec FromFolder(string folder)
    {
        string full = Path.GetFullPath(folder);
        var bySplit = new Dictionary<string, List<string>>();
        foreach (string file in Directory.EnumerateFiles(full).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            if (!DataFileReader.IsSupported(name)) continue;
            string stem = Path.GetFileNameWithoutExtension(name);
            int shard = stem.IndexOf("-0", StringComparison.Ordinal);
            string split = shard > 0 ? stem[..shard] : stem;
            if (!bySplit.TryGetValue(split, out var files)) bySplit[split] = files = [];
            files.Add(file);
        }
        if (bySplit.Count == 0)
            throw new IclPruneException($"data folder {full} holds no SPLIT.jsonl, .csv, .tsv or .parquet file.");
        foreach (var (split, files) in bySplit)
            if (files.Select(Path.GetExtension).Distinct().Count() > 1)
                throw new IclPruneException($"data folder {full} holds split '{split}' in several formats ({string.Join(", ", files.Select(Path.GetFileName))}); keep one.");
        return new DataSourceSpec(full, bySplit.ToDictionary(kv => kv.Key, kv => (Func<RawSplit>)(() => DataFileReader.ReadShards(kv.Key, kv.Value))));
    }

    /// <summary>Data bundled with a built-in task (see TaskCatalog.BundledData).</summary>
    public static DataSourceSpec FromBundled(string taskId, IReadOnlyDictionary<string, Tasks.BundledDataFile> files) =>
        new($"bundled data of {taskId}", files.ToDictionary(kv => kv.Key, kv => (Func<RawSplit>)(() =>
        {
            using var stream = kv.Value.Open();
            return DataFileReader.Read(kv.Key, kv.Value.DisplayName, kv.Value.FileName, stream);
        })));
}
