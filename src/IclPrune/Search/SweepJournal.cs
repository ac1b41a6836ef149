using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IclPrune.Dynamics;
using IclPrune.Evaluation;

namespace IclPrune.Search;

/// <summary>
/// The append-only record of a sweep (journal.jsonl in the output folder, or shards/K-of-N.jsonl for one shard): a
/// header line with the configuration's fingerprint, then one line per finished cell. Each line is flushed to disk
/// (fsync) before the next cell starts, so a killed sweep loses at most the cell it was computing; a torn last line
/// (killed mid-write) is dropped on resume. A journal written for a different configuration is refused instead of
/// mixed, and one process at a time writes it (<see cref="JournalLock"/>).
/// </summary>
public sealed class SweepJournal : IDisposable
{
    public const string FileName = "journal.jsonl";
    const int Version = 1;
    public const string BaselineKey = "(unpruned)";

    readonly FileStream _stream;
    readonly JournalLock _lock;

    SweepJournal(string path, FileStream stream, JournalLock owner, JournalContent content)
    {
        Path = path;
        _stream = stream;
        _lock = owner;
        Finished = content.Finished;
        FinishedDynamics = content.Dynamics;
    }

    public string Path { get; }

    /// <summary>The stale lock holder this journal was taken over from, and why it was stale (null: none).</summary>
    public string? TookOverLockFrom => _lock.TookOver;

    /// <summary>Results already in the journal, by cell key (<see cref="BaselineKey"/> for the unpruned model).</summary>
    public IReadOnlyDictionary<string, EvaluationResult> Finished { get; }

    /// <summary>Implicit-update norms already in the journal (sweep --icl-dynamics), by cell key.</summary>
    public IReadOnlyDictionary<string, IclDynamicsResult> FinishedDynamics { get; }

    /// <summary>Opens the journal of a whole sweep, FOLDER/journal.jsonl.</summary>
    public static SweepJournal Open(string folder, string fingerprint, JsonNode configuration)
    {
        try
        {
            return OpenFile(System.IO.Path.Combine(folder, FileName), fingerprint, configuration, shard: null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IclPruneException($"cannot write the sweep journal in {folder}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Opens (creating, or resuming after checking its fingerprint) the journal at <paramref name="path"/>. A shard's
    /// header also records which shard it is and what the assignment was computed from, for the merge.
    /// </summary>
    public static SweepJournal OpenFile(string path, string fingerprint, JsonNode configuration, JsonObject? shard)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var owner = JournalLock.Acquire(path, "sweep journal");
        try
        {
            var content = File.Exists(path) ? Load(path) : JournalContent.Empty;
            if (content.Fingerprint is { } found && found != fingerprint)
                throw new IclPruneException(
                    $"sweep journal '{path}' was written by a different configuration (fingerprint {found}, this run {fingerprint}); " +
                    "results of different configurations are never mixed: use another --out folder or delete the journal.");

            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough);
            stream.SetLength(content.GoodLength);   // drops a torn last line
            stream.Seek(content.GoodLength, SeekOrigin.Begin);
            var journal = new SweepJournal(path, stream, owner, content);
            if (content.GoodLength == 0)   // new, empty, or killed while writing its header
            {
                var header = new JsonObject
                {
                    ["kind"] = "header", ["version"] = Version, ["fingerprint"] = fingerprint, ["configuration"] = configuration.DeepClone(),
                };
                if (shard is not null) header["shard"] = shard.DeepClone();
                journal.WriteLine(header.ToJsonString());
            }
            return journal;
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One finished cell. With <paramref name="dynamics"/> the line also carries the cell's implicit-update norms; a cell
    /// first journaled without them is appended again with them (the later line of a key wins on resume).
    /// </summary>
    public void Append(string key, EvaluationResult result, IclDynamicsResult? dynamics = null)
    {
        _lock.ThrowIfLost();
        // The scored items are the same for every cell: the unpruned line keeps their list, the others do not repeat it
        // (8,000 "train:ROW" strings per line otherwise).
        var stored = key == BaselineKey ? result : result with { Items = null, ItemKeys = null, ItemPreviews = null };
        var line = new JsonObject
        {
            ["kind"] = "cell", ["key"] = key, ["result"] = JsonSerializer.SerializeToNode(stored, SearchJson.Options),
        };
        if (dynamics is not null) line["dynamics"] = JsonSerializer.SerializeToNode(dynamics, SearchJson.Options);
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

    /// <summary>
    /// Reads a journal without taking its lock (a merge reads journals other processes may still append to): its
    /// header and every complete line; a torn last line is not there yet.
    /// </summary>
    public static JournalContent Load(string path)
    {
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        var finished = new Dictionary<string, EvaluationResult>();
        var dynamics = new Dictionary<string, IclDynamicsResult>();
        JsonObject? header = null;
        int offset = 0;
        int lineNumber = 0;
        while (offset < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', offset);
            if (end < 0) break;   // torn last line: no newline was written
            lineNumber++;
            string text = Encoding.UTF8.GetString(bytes, offset, end - offset);
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
                header = (JsonObject)node;
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
                if (node["dynamics"] is { } norms) dynamics[key] = Dynamics(path, lineNumber, norms);
            }
            offset = end + 1;
        }
        return new JournalContent(header, finished, offset, dynamics);
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

    static IclDynamicsResult Dynamics(string path, int lineNumber, JsonNode node)
    {
        try
        {
            return node.Deserialize<IclDynamicsResult>(SearchJson.Options)
                ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            throw new IclPruneException($"sweep journal '{path}' line {lineNumber}: field 'dynamics' is not a set of implicit-update norms ({e.Message}). " +
                                        "The journal is damaged: delete it to start over.", e);
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _lock.Dispose();
    }
}

/// <summary>
/// What a journal file holds: its header (null when empty or torn), finished cells, the valid length, and the cells'
/// implicit-update norms where they were recorded (sweep --icl-dynamics).
/// </summary>
public sealed record JournalContent(JsonObject? Header, Dictionary<string, EvaluationResult> Finished, long GoodLength,
    Dictionary<string, IclDynamicsResult> Dynamics)
{
    public static JournalContent Empty => new(null, new Dictionary<string, EvaluationResult>(), 0, new Dictionary<string, IclDynamicsResult>());

    public string? Fingerprint => Header?["fingerprint"]?.GetValue<string>();
}
