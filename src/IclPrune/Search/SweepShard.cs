using System.Globalization;

namespace IclPrune.Search;

/// <summary>
/// One of <see cref="Count"/> parts of a sweep, numbered from 1 (`--shard 2/3`: the second of three). Its journal is
/// shards/K-of-N.jsonl in the sweep's output folder; which cells it computes is <see cref="ShardAssignment"/>'s.
/// </summary>
public sealed record SweepShard(int Index, int Count)
{
    public const string Folder = "shards";

    public static SweepShard Create(int index, int count, string source)
    {
        if (count < 1) throw new UsageException($"{source}: the shard count {count} must be at least 1.");
        if (index < 1 || index > count)
            throw new UsageException($"{source}: shard {index} of {count} is out of range; shards are numbered 1 to {count}.");
        return new SweepShard(index, count);
    }

    /// <summary>Parses "K/N".</summary>
    public static SweepShard Parse(string text, string source = "--shard")
    {
        string[] parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw new UsageException($"{source} '{text}' is invalid; expected K/N, e.g. 1/4 for the first of four shards.");
        return Create(index, count, $"{source} '{text}'");
    }

    public string FileName => $"{Index}-of-{Count}.jsonl";

    public string JournalPath(string sweepFolder) => Path.Combine(sweepFolder, Folder, FileName);

    public override string ToString() => $"{Index}/{Count}";
}
