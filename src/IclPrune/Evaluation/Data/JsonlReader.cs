using System.Text.Json;

namespace IclPrune.Evaluation.Data;

/// <summary>JSON Lines: one JSON object per line; blank lines are skipped.</summary>
internal static class JsonlReader
{
    public static RawSplit Read(string split, string source, Stream stream)
    {
        var rows = new List<IReadOnlyDictionary<string, string?>>();
        var columns = new List<string>();
        var known = new HashSet<string>();
        using var reader = new StreamReader(stream, DataFileReader.StrictUtf8);
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw new IclPruneException($"data file {source} line {lineNumber}: not valid JSON ({e.Message}); expected one JSON object per line.");
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new IclPruneException($"data file {source} line {lineNumber}: a JSON {document.RootElement.ValueKind}; expected one JSON object per line.");
                var row = new Dictionary<string, string?>();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    row[property.Name] = Text(property.Value);
                    if (known.Add(property.Name)) columns.Add(property.Name);
                }
                rows.Add(row);
            }
        }
        return new RawSplit(split, source, columns, rows);
    }

    static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.TryGetInt64(out long l) ? CellText.Of(l) : CellText.Number(value.GetDouble()),
        _ => value.GetRawText(),
    };
}
