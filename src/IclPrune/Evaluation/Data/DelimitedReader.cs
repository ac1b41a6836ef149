using System.Text;

namespace IclPrune.Evaluation.Data;

/// <summary>
/// CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks) and TSV (split on tabs, quotes are
/// literal text, as in the GLUE .tsv files). The first row names the columns.
/// </summary>
internal static class DelimitedReader
{
    public static RawSplit Read(string split, string source, Stream stream, char delimiter)
    {
        using var reader = new StreamReader(stream, DataFileReader.StrictUtf8);
        var records = delimiter == '\t' ? TsvRecords(reader) : CsvRecords(reader, source);
        List<string>? header = null;
        var rows = new List<IReadOnlyDictionary<string, string?>>();
        foreach (var (line, fields) in records)
        {
            if (header is null)
            {
                header = fields;
                var duplicate = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1);
                if (duplicate is not null) throw new IclPruneException($"data file {source} line {line}: column '{duplicate.Key}' appears twice in the header.");
                continue;
            }
            if (fields.Count == 1 && fields[0].Length == 0) continue; // blank line
            if (fields.Count != header.Count)
                throw new IclPruneException($"data file {source} line {line}: {fields.Count} fields; expected {header.Count} as in the header ({string.Join(", ", header)}).");
            var row = new Dictionary<string, string?>(header.Count);
            for (int i = 0; i < header.Count; i++) row[header[i]] = fields[i];
            rows.Add(row);
        }
        return new RawSplit(split, source, header ?? [], rows);
    }

    static IEnumerable<(int Line, List<string> Fields)> TsvRecords(StreamReader reader)
    {
        int line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            yield return (line, text.Split('\t').ToList());
        }
    }

    static IEnumerable<(int Line, List<string> Fields)> CsvRecords(StreamReader reader, string source)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, atFieldStart = true;
        int line = 1, recordLine = 1;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            char ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else quoted = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when atFieldStart:
                    quoted = true;
                    atFieldStart = false;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return (recordLine, fields);
                    fields = [];
                    atFieldStart = true;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(ch);
                    atFieldStart = false;
                    break;
            }
        }
        if (quoted) throw new IclPruneException($"data file {source} line {recordLine}: a quoted field is never closed.");
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (recordLine, fields);
        }
    }
}
