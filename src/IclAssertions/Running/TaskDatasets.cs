using System.Collections.Concurrent;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Tasks;

namespace IclAssertions.Running;

/// <summary>Task data loaded once per process per (task, data) and shared: a suite's tests read the same files.</summary>
static class TaskDatasets
{
    static readonly ConcurrentDictionary<string, Lazy<TaskDataset>> Cache = new();

    public static TaskDataset Get(string task, string? dataSpec)
    {
        var lazy = Cache.GetOrAdd($"{task}|{dataSpec}", _ => new Lazy<TaskDataset>(() =>
            TaskDataset.Load(TaskCatalog.Get(task), dataSpec is null ? null : DataSourceSpec.Parse(dataSpec))));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Cache.TryRemove(new KeyValuePair<string, Lazy<TaskDataset>>($"{task}|{dataSpec}", lazy));
            throw;
        }
    }
}
