using System.Security.Cryptography;
using System.Text;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Sampling;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Evaluation;

/// <summary>
/// A task with its data loaded, labelled and split (pool, validation, test), plus a fingerprint of the template and
/// of every item, so that two results can tell whether they measured the same thing.
/// </summary>
public sealed class TaskDataset
{
    TaskDataset(TaskDefinition task, PlannedSplits splits, string dataDescription)
    {
        Task = task;
        Splits = splits;
        DataDescription = dataDescription;
        Fingerprint = ComputeFingerprint(task, splits);
    }

    public TaskDefinition Task { get; }
    public PlannedSplits Splits { get; }
    public string DataDescription { get; }

    /// <summary>"sha256:" + 16 hex digits over the task file text and every pool/validation/test item (fields and class).</summary>
    public string Fingerprint { get; }

    /// <summary>
    /// Loads the task's data from <paramref name="data"/>, or from the task's bundled data when null. Column overrides
    /// map template fields to other column names.
    /// </summary>
    public static TaskDataset Load(TaskDefinition task, DataSourceSpec? data = null, IReadOnlyDictionary<string, string>? columnOverrides = null)
    {
        data ??= BundledSource(task);
        var sources = TaskDataLoader.Load(task, data, columnOverrides);
        return new TaskDataset(task, SplitPlanner.Plan(task, sources), data.Description);
    }

    /// <summary>The data shipped with a built-in task; a usage error for a task that has none.</summary>
    public static DataSourceSpec BundledSource(TaskDefinition task)
    {
        var bundled = TaskCatalog.BundledData(task.Id);
        if (bundled.Count == 0 || !task.Origin.StartsWith("builtin:", StringComparison.Ordinal))
            throw new UsageException(
                $"task {task.Id} has no bundled data; give its data as a folder or train=PATH,... ({(task.DataSource.Length > 0 ? task.DataSource : "see the task file")}).");
        return DataSourceSpec.FromBundled(task.Id, bundled);
    }

    /// <summary>For callers that already hold labelled examples (tests, synthetic tasks).</summary>
    public static TaskDataset FromSplits(TaskDefinition task, PlannedSplits splits, string dataDescription) => new(task, splits, dataDescription);

    static string ComputeFingerprint(TaskDefinition task, PlannedSplits splits)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\u001f"));
        Add(task.SourceText);
        foreach (var (name, items) in new[] { ("pool", splits.DemonstrationPool), ("validation", splits.Validation), ("test", splits.Test) })
        {
            Add(name);
            foreach (var item in items)
            {
                Add(item.Class.ToString(System.Globalization.CultureInfo.InvariantCulture));
                foreach (var (field, value) in item.Fields.OrderBy(f => f.Key, StringComparer.Ordinal)) Add(field + "=" + value);
            }
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
