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
        var stored = key == BaselineKey ? result : result with { Items = null, ItemKeys = null, ItemPreviews = null };
        var line = new JsonObject
        {
            ["kind"] = "cell", ["key"] = key, ["result"] = JsonSerializer.SerializeToNode(stored, SearchJson.Options),
        };
        WriteLine(line.ToJsonString());
    }

    void WriteLine(string json)
    {
        _stream.Write(Encoding.UTF8.GetBytes(json + "\n"));
        _stream.Flush(flushToDisk: true);
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
                string? found = node?["fingerprint"]?.GetValue<string>();
                if (node?["kind"]?.GetValue<string>() != "header" || found is null)
                    throw new IclPruneException($"sweep journal '{path}' has no header line; delete it or use another output folder.");
                if (found != fingerprint)
                    throw new IclPruneException(
                        $"sweep journal '{path}' was written by a different configuration (fingerprint {found}, this run {fingerprint}); " +
                        "results of different configurations are never mixed: use another --out folder or delete the journal.");
            }
            else
            {
                string key = node?["key"]?.GetValue<string>()
                    ?? throw new IclPruneException($"sweep journal '{path}' line {lineNumber} has no key.");
                finished[key] = node["result"].Deserialize<EvaluationResult>(SearchJson.Options)
                    ?? throw new IclPruneException($"sweep journal '{path}' line {lineNumber} has no result.");
            }
            offset = end + 1;
        }
        return offset;
    }

    public void Dispose() => _stream.Dispose();
}
