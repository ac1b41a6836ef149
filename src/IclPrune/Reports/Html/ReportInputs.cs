using System.Text.Json;
using System.Text.Json.Nodes;
using IclPrune.Demo;
using IclPrune.Evaluation;
using IclPrune.Search;

namespace IclPrune.Reports.Html;

/// <summary>
/// What `report` was given, sorted by kind: eval results, demo results, sweeps (with their journal for flipped
/// items), Algorithm 1 searches and snapshot pairs. A file is recognised by its content, not its name (except
/// snapshots, whose name says approved or received); a folder contributes every file it holds that is recognised.
/// </summary>
public sealed class ReportInputs
{
    public const string VerifiedSuffix = ".verified.json";
    public const string ReceivedSuffix = ".received.json";

    public List<(string Source, EvaluationResult Result)> Evaluations { get; } = [];
    public List<(string Source, DemoResult Demo)> Demos { get; } = [];
    public List<SweepInput> Sweeps { get; } = [];
    public List<(string Source, SearchResult Search)> Searches { get; } = [];
    public SortedDictionary<string, SnapshotPair> Snapshots { get; } = new(StringComparer.Ordinal);
    public List<string> Sources { get; } = [];

    /// <summary>Reads every path; a missing path, an unreadable file or a folder with nothing to show is a usage error.</summary>
    public static ReportInputs Read(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) throw new UsageException("report needs at least one folder or file (results JSON, sweep or demo folder, snapshots).");
        var inputs = new ReportInputs();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            string full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                var files = Directory.EnumerateFiles(full, "*.json").Order(StringComparer.Ordinal).ToList();
                var fresh = files.Where(seen.Add).ToList();
                int found = fresh.Count(file => inputs.TryAdd(file, explicitly: false));
                // A folder whose files were all read through an earlier argument is not an error.
                if (found == 0 && fresh.Count == files.Count)
                    throw new UsageException(
                        $"report: folder {path} holds nothing the report reads; expected results.json (eval, sweep, demo or search) " +
                        $"or *{VerifiedSuffix} / *{ReceivedSuffix} snapshots.");
                inputs.Sources.Add(path);
            }
            else if (File.Exists(full))
            {
                if (seen.Add(full)) inputs.TryAdd(full, explicitly: true);
                inputs.Sources.Add(path);
            }
            else
            {
                throw new UsageException($"report: {path} does not exist; expected a results folder or a results/snapshot JSON file.");
            }
        }
        return inputs;
    }

    /// <summary>Adds one file; files given by name must be recognised, files found in a folder may be skipped.</summary>
    bool TryAdd(string file, bool explicitly)
    {
        string name = Path.GetFileName(file);
        if (name.EndsWith(VerifiedSuffix, StringComparison.Ordinal) || name.EndsWith(ReceivedSuffix, StringComparison.Ordinal))
        {
            AddSnapshot(file, name);
            return true;
        }
        if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return explicitly ? throw Unknown(file, "it is not a .json file") : false;

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            return explicitly ? throw Unknown(file, $"it is not valid JSON ({e.Message})") : false;
        }
        if (node is not JsonObject json) return explicitly ? throw Unknown(file, "its top level is not an object") : false;

        if (json.ContainsKey("shots_curve") && json.ContainsKey("sweep"))
        {
            var demo = Deserialize<DemoResult>(file, json);
            Demos.Add((file, demo));
            string sweepFolder = Path.Combine(Path.GetDirectoryName(file)!, "sweep");
            Sweeps.Add(new SweepInput($"{demo.SweepTask} ({file})", demo.Sweep, SweepFlips.Read(Path.Combine(sweepFolder, SweepJournal.FileName))));
            Searches.AddRange(demo.Searches.Select(s => ($"{demo.SweepTask} ({file})", s)));
        }
        else if (json.ContainsKey("grid") && json.ContainsKey("cells"))
        {
            var summary = Deserialize<SweepSummary>(file, json);
            Sweeps.Add(new SweepInput(file, summary, SweepFlips.Read(Path.Combine(Path.GetDirectoryName(file)!, SweepJournal.FileName))));
        }
        else if (json.ContainsKey("validation_curve"))
        {
            Searches.Add((file, Deserialize<SearchResult>(file, json)));
        }
        else if (json.ContainsKey("per_seed") && json.ContainsKey("accuracy"))
        {
            // eval's own format (compact per-item fields), read by its own reader.
            try
            {
                Evaluations.Add((file, EvaluationResultJson.Deserialize(json.ToJsonString(), file)));
            }
            catch (IclPruneException e)
            {
                throw new UsageException($"report: {file} looks like eval results but does not read as them ({e.Message}).");
            }
        }
        else
        {
            return explicitly
                ? throw Unknown(file, "it is none of: eval results (per_seed), sweep results (grid, cells), demo results (shots_curve), search results (validation_curve)")
                : false;
        }
        return true;
    }

    void AddSnapshot(string file, string name)
    {
        bool verified = name.EndsWith(VerifiedSuffix, StringComparison.Ordinal);
        string key = name[..^(verified ? VerifiedSuffix.Length : ReceivedSuffix.Length)];
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            throw new UsageException($"report: snapshot {file} is not valid JSON ({e.Message}).");
        }
        var pair = Snapshots.TryGetValue(key, out var existing) ? existing : new SnapshotPair(key, null, null);
        Snapshots[key] = verified ? pair with { Verified = node } : pair with { Received = node };
    }

    static T Deserialize<T>(string file, JsonObject json)
    {
        try
        {
            return json.Deserialize<T>(SearchJson.Options) ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new UsageException($"report: {file} looks like {typeof(T).Name} JSON but does not read as one ({e.Message}).");
        }
    }

    static UsageException Unknown(string file, string why) =>
        new($"report: cannot read {file}: {why}. Expected a results JSON (eval, sweep, demo, search), a sweep or demo folder, " +
            $"or a *{VerifiedSuffix} / *{ReceivedSuffix} snapshot.");
}

/// <summary>A sweep to draw, with the items each cell flipped when its journal was found.</summary>
public sealed record SweepInput(string Source, SweepSummary Summary, SweepFlips? Flips);

/// <summary>An approved snapshot and/or the received one that differs from it, read loosely (docs/report.md).</summary>
public sealed record SnapshotPair(string Name, JsonNode? Verified, JsonNode? Received);
