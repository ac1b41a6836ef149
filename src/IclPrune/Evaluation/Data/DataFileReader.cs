using System.Text;

namespace IclPrune.Evaluation.Data;

/// <summary>Reads one split file, choosing the format by extension: .jsonl/.json, .csv, .tsv, .parquet.</summary>
public static class DataFileReader
{
    public static readonly IReadOnlyList<string> Extensions = [".jsonl", ".csv", ".tsv", ".parquet"];

    public static bool IsSupported(string fileName) =>
        Extensions.Contains(Path.GetExtension(fileName).ToLowerInvariant()) || fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    public static RawSplit Read(string split, string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new IclPruneException($"data file {full} (split {split}) does not exist.");
        using var stream = File.OpenRead(full);
        return Read(split, full, full, stream);
    }

    /// <summary>Text data must be UTF-8: a decoder that replaced bad bytes with U+FFFD would change prompts silently.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads from a stream; <paramref name="fileName"/> gives the format, <paramref name="source"/> names it in errors.</summary>
    public static RawSplit Read(string split, string source, string fileName, Stream stream)
    {
        try
        {
            return ReadFormat(split, source, fileName, stream);
        }
        catch (DecoderFallbackException e)
        {
            string bytes = e.BytesUnknown is { Length: > 0 } unknown ? $" (bytes {Convert.ToHexString(unknown)})" : "";
            throw new IclPruneException($"data file {source}: not valid UTF-8 text{bytes}; data files must be UTF-8 " +
                                        "(re-encode it, e.g. iconv -f latin1 -t utf-8).", e);
        }
    }

    static RawSplit ReadFormat(string split, string source, string fileName, Stream stream) =>
        Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".jsonl" or ".json" => JsonlReader.Read(split, source, stream),
            ".csv" => DelimitedReader.Read(split, source, stream, ','),
            ".tsv" => DelimitedReader.Read(split, source, stream, '\t'),
            ".parquet" => ParquetTableReader.Read(split, source, stream),
            var other => throw new IclPruneException($"data file {source}: unknown format '{other}'; expected .jsonl, .csv, .tsv or .parquet."),
        };

    /// <summary>Several shards of one split (train-00000-of-00002.parquet, ...) read in name order and concatenated.</summary>
    public static RawSplit ReadShards(string split, IReadOnlyList<string> paths)
    {
        if (paths.Count == 1) return Read(split, paths[0]);
        var parts = paths.Select(p => Read(split, p)).ToList();
        var columns = parts[0].Columns;
        foreach (var part in parts.Skip(1))
            if (!part.Columns.SequenceEqual(columns))
                throw new IclPruneException($"data file {part.Source}: columns ({string.Join(", ", part.Columns)}) differ from {parts[0].Source} ({string.Join(", ", columns)}); shards of one split must agree.");
        return new RawSplit(split, string.Join(" + ", parts.Select(p => p.Source)), columns, parts.SelectMany(p => p.Rows).ToList());
    }
}
