using System.Reflection;

namespace IclPrune.Evaluation.Tasks;

/// <summary>
/// The built-in tasks (YAML files embedded from src/IclPrune/Evaluation/Tasks/BuiltIn/) and user task files by path.
/// Adding a built-in task is dropping BuiltIn/ID.yaml there; a folder BuiltIn/ID/ holding SPLIT.jsonl (or .csv, .tsv,
/// .parquet) files makes it runnable without --data.
/// </summary>
public static class TaskCatalog
{
    /// <summary>Resource names are "IclPrune.Tasks/" + the path under BuiltIn/ (see IclPrune.csproj).</summary>
    internal const string ResourcePrefix = "IclPrune.Tasks/";

    static readonly Assembly Resources = typeof(TaskCatalog).Assembly;
    static readonly Lazy<IReadOnlyList<TaskDefinition>> BuiltInTasks = new(LoadBuiltIn);

    /// <summary>Every built-in task, ordered by id.</summary>
    public static IReadOnlyList<TaskDefinition> BuiltIn => BuiltInTasks.Value;

    /// <summary>
    /// A task by built-in id, or by the path of a task YAML file (anything that exists as a file, or ends in .yaml/.yml).
    /// </summary>
    public static TaskDefinition Get(string idOrPath)
    {
        if (File.Exists(idOrPath)) return LoadFile(idOrPath);
        if (idOrPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || idOrPath.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            throw new IclPruneException($"task file {Path.GetFullPath(idOrPath)} does not exist.");
        var task = BuiltIn.FirstOrDefault(t => t.Id == idOrPath);
        return task ?? throw new IclPruneException(
            $"task '{idOrPath}' is neither a built-in task nor a task file; built-in tasks: {string.Join(", ", BuiltIn.Select(t => t.Id))}.");
    }

    public static TaskDefinition LoadFile(string path)
    {
        string full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (IOException e)
        {
            throw new IclPruneException($"task file {full} cannot be read: {e.Message}", e);
        }
        return TaskParser.Parse(text, full);
    }

    /// <summary>
    /// The data shipped with a built-in task: split name to a file name (for its format) and a stream opener. Empty when
    /// the task has no bundled data (the paper's tasks: the user brings the data).
    /// </summary>
    public static IReadOnlyDictionary<string, BundledDataFile> BundledData(string taskId)
    {
        string folder = ResourcePrefix + taskId + "/";
        var files = new Dictionary<string, BundledDataFile>();
        foreach (string name in Resources.GetManifestResourceNames().Where(n => n.StartsWith(folder, StringComparison.Ordinal)))
        {
            string fileName = name[folder.Length..];
            if (fileName.Contains('/')) continue;
            string split = Path.GetFileNameWithoutExtension(fileName);
            files[split] = new BundledDataFile($"builtin:{taskId}/{fileName}", fileName,
                () => Resources.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"resource {name} vanished"));
        }
        return files;
    }

    static IReadOnlyList<TaskDefinition> LoadBuiltIn()
    {
        var tasks = new List<TaskDefinition>();
        foreach (string name in Resources.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            string file = name[ResourcePrefix.Length..];
            if (file.Contains('/') || !(file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal))) continue;
            using var stream = Resources.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var task = TaskParser.Parse(reader.ReadToEnd(), "builtin:" + file);
            if (task.Id != Path.GetFileNameWithoutExtension(file))
                throw new InvalidOperationException($"built-in task file {file} declares id '{task.Id}'; the file name and the id must agree.");
            tasks.Add(task);
        }
        return tasks.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
    }
}

/// <summary>One data file bundled with a built-in task. <paramref name="FileName"/> carries the format (.jsonl, .csv, ...).</summary>
public sealed record BundledDataFile(string DisplayName, string FileName, Func<Stream> Open);
