using Parquet.Serialization;

namespace IclPrune.Evaluation.Data;

/// <summary>Parquet files as the Hugging Face hub stores datasets (flat columns: strings and integer labels).</summary>
internal static class ParquetTableReader
{
    public static RawSplit Read(string split, string source, Stream stream)
    {
        Parquet.Serialization.DeserializationResult<Dictionary<string, object>> table;
        try
        {
            // The reader needs a seekable stream; embedded resources and pipes may not be.
            using var seekable = Seekable(stream);
            ParquetEnvelope.Check(source, seekable);
            using var checkedStream = new EndCheckedStream(seekable, source);
            table = ParquetSerializer.DeserializeUntypedAsync(checkedStream).GetAwaiter().GetResult();
        }
        // Parquet.Net parses the untrusted footer and pages with many exception types (Overflow, IndexOutOfRange,
        // EndOfStream, Thrift protocol errors, ...): whatever it throws, the file is not a Parquet file we can read.
        catch (Exception e) when (e is not (OperationCanceledException or IclPruneException))
        {
            throw new IclPruneException($"data file {source}: not a readable Parquet file ({e.Message}).", e);
        }
        var columns = table.Schema.Fields.Select(f => f.Name).ToList();
        var rows = new List<IReadOnlyDictionary<string, string?>>(table.Data.Count);
        foreach (var record in table.Data)
        {
            var row = new Dictionary<string, string?>(columns.Count);
            foreach (string column in columns)
                row[column] = record.TryGetValue(column, out var value) ? CellText.Of(value) : null;
            rows.Add(row);
        }
        return new RawSplit(split, source, columns, rows);
    }

    static Stream Seekable(Stream stream)
    {
        if (stream.CanSeek) return stream;
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }
}
