using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IclPrune.Evaluation;

namespace IclPrune.Search;

/// <summary>
/// The append-only record of a sweep (journal.jsonl in the output folder): a header line with the configuration's
/// fingerprint, then one line per finished cell. Each line is flushed to disk (fsync) before the next cell starts,
/// so a killed sweep loses at most the cell it was computing; a torn last line (killed mid-write) is dropped on
/// resume. A journal written for a different configuration is refused instead of mixed.
/// </summary>
public sealed class SweepJournal : IDisposable
{
    public const string FileName = "journal.jsonl";
    const int Version = 1;
    public const string BaselineKey = "(unpruned)";

    readonly FileStream _stream;

    SweepJournal(string path, FileStream stream, Dictionary<string, EvaluationResult> finished)
    {
        Path = path;
        _stream = stream;
        Finished = finished;
    }

    public string Path { get; }

    /// <summary>Results already in the journal, by cell key (<see cref="BaselineKey"/> for the unpruned model).</summary>
    public IReadOnlyDictionary<string, EvaluationResult> Finished { get; }

    public static SweepJournal Open(string folder, string fingerprint, JsonNode configuration)
    {
        try
        {
            return OpenOrCreate(folder, fingerprint, configuration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IclPruneException($"cannot write the sweep journal in {folder}: {e.Message}", e);
        }
    }

    static SweepJournal OpenOrCreate(string folder, string fingerprint, JsonNode configuration)
    {
        Directory.CreateDirectory(folder);
        string path = System.IO.Path.Combine(folder, FileName);
        var finished = new Dictionary<string, EvaluationResult>();
        long goodLength = 0;
        bool exists = File.Exists(path) && new FileInfo(path).Length > 0;
        if (exists) goodLength = Read(path, fingerprint, finished);

        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough);
        stream.SetLength(goodLength);   // drops a torn last line
        stream.Seek(goodLength, SeekOrigin.Begin);
        var journal = new SweepJournal(path, stream, finished);
        if (goodLength == 0)   // new, empty, or killed while writing its header
        {
            var header = new JsonObject
            {
                ["kind"] = "header", ["version"] = Version, ["fingerprint"] = fingerprint, ["configuration"] = configuration.DeepClone(),
            };
            journal.WriteLine(header.ToJsonString());
        }
        return journal;
    }

    public void Append(string key, EvaluationResult result)
    {
        // The scored items are the same for every cell: the unpruned line keeps their list, the others do not repeat it
        // (8,000 "train:ROW" strings per line otherwise).
        var stored = key == BaselineKey ? result : result with { Items = null };
        var line = new JsonObject
        {
            ["kind"] = "cell", ["key"] = key, ["result"] = JsonSerializer.SerializeToNode(stored, SearchJson.Options),
        };
        WriteLine(line.ToJsonString());
    }

    void WriteLine(string json)
    {
        try
        {
            _stream.Write(Encoding.UTF8.GetBytes(json + "\n"));
            _stream.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            // A full disk mid-line leaves a torn last line, which the next resume drops.
            throw new IclPruneException($"cannot append to the sweep journal {Path}: {e.Message}", e);
        }
    }

    /// <summary>Reads a journal; returns the byte length of its complete, valid lines.</summary>
    static long Read(string path, string fingerprint, Dictionary<string, EvaluationResult> finished)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long offset = 0;
        int lineNumber = 0;
        while (offset < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', (int)offset);
            if (end < 0) break;   // torn last line: no newline was written
            lineNumber++;
            string text = Encoding.UTF8.GetString(bytes, (int)offset, end - (int)offset);
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new IclPruneException($"sweep journal '{path}' line {lineNumber} is not valid JSON ({e.Message}); delete the file to start over.");
            }
            if (lineNumber == 1)
            {
                string? found = StringField(path, lineNumber, node, "fingerprint");
                if (StringField(path, lineNumber, node, "kind") != "header" || found is null)
                    throw new IclPruneException($"sweep journal '{path}' has no header line; delete it or use another output folder.");
                if (node!["version"] is not JsonValue version || version.GetValueKind() != JsonValueKind.Number
                    || !version.TryGetValue(out int number) || number != Version)
                    throw new IclPruneException($"sweep journal '{path}' line 1: field 'version' is {node["version"]?.ToJsonString() ?? "missing"}; " +
                                                $"expected {Version}. Delete the journal or use another output folder.");
                if (node["configuration"] is not JsonObject)
                    throw new IclPruneException($"sweep journal '{path}' line 1: field 'configuration' is {node["configuration"]?.ToJsonString() ?? "missing"}; " +
                                                "expected an object. The journal is damaged: delete it to start over.");
                if (found != fingerprint)
                    throw new IclPruneException(
                        $"sweep journal '{path}' was written by a different configuration (fingerprint {found}, this run {fingerprint}); " +
                        "results of different configurations are never mixed: use another --out folder or delete the journal.");
            }
            else
            {
                if (StringField(path, lineNumber, node, "kind") != "cell")
                    throw new IclPruneException($"sweep journal '{path}' line {lineNumber}: field 'kind' is not \"cell\". " +
                                                "The journal is damaged: delete it to start over.");
                string key = StringField(path, lineNumber, node, "key")
                    ?? throw new IclPruneException($"sweep journal '{path}' line {lineNumber} has no key.");
                finished[key] = Result(path, lineNumber, node!["result"])
                    ?? throw new IclPruneException($"sweep journal '{path}' line {lineNumber} has no result.");
            }
            offset = end + 1;
        }
        return offset;
    }

    /// <summary>A string field of a journal line; any other JSON type is a damaged journal, named as such.</summary>
    static string? StringField(string path, int lineNumber, JsonNode? node, string field)
    {
        if (node is not JsonObject line)
            throw new IclPruneException($"sweep journal '{path}' line {lineNumber} is {node?.GetValueKind().ToString() ?? "null"}; expected a JSON object.");
        var value = line[field];
        if (value is null) return null;
        return value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new IclPruneException($"sweep journal '{path}' line {lineNumber}: field '{field}' is {value.ToJsonString()}; expected a string. " +
                                          "The journal is damaged: delete it to start over.");
    }

    static EvaluationResult? Result(string path, int lineNumber, JsonNode? node)
    {
        try
        {
            return node.Deserialize<EvaluationResult>(SearchJson.Options);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            throw new IclPruneException($"sweep journal '{path}' line {lineNumber}: the result does not match the results schema ({e.Message}). " +
                                        "The journal is damaged: delete it to start over.", e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
