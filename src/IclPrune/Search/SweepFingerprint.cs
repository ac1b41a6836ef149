using System.Globalization;
using IclPrune.Evaluation;
using IclPrune.Models;

namespace IclPrune.Search;

/// <summary>
/// What a sweep journal is keyed by: everything that changes a cell's result (model weights, task data, seeds, shots,
/// limit, dtype). Batch size and the prefix cache only change float rounding, so a sweep may resume with other values.
/// </summary>
public static class SweepFingerprint
{
    public static string Of(LoadedModel loaded, TaskDataset data, EvaluationOptions options) =>
        string.Join("\n", loaded.Fingerprint, data.Fingerprint, data.Task.Id,
            string.Join(",", options.Seeds), options.Shots?.ToString(CultureInfo.InvariantCulture) ?? "task-shots",
            options.Limit?.ToString(CultureInfo.InvariantCulture) ?? "all", ModelLoadOptions.DTypeName(loaded.Options.DType));
}
