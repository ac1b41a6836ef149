using IclPrune.Evaluation.Prompts;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Evaluation.Data;

/// <summary>
/// Turns the raw splits a task needs into labelled <see cref="Example"/>s: finds each template field's column
/// (task columns, overridden by --column), maps label values to classes, and says clearly what is wrong otherwise.
/// </summary>
public static class TaskDataLoader
{
    /// <summary>The label value the Hugging Face hub stores for a hidden (unlabelled) test item.</summary>
    public const string HiddenLabel = "-1";

    /// <summary>Loads every source split the task's split plan draws from.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Example>> Load(
        TaskDefinition task, DataSourceSpec data, IReadOnlyDictionary<string, string>? columnOverrides = null)
    {
        var sources = new[] { task.Splits.Demonstrations.From, task.Splits.Validation.From, task.Splits.Test.From }.Distinct();
        var missing = sources.Where(s => !data.Has(s)).ToList();
        if (missing.Count > 0)
            throw new IclPruneException(
                $"task {task.Id} draws from split(s) {string.Join(", ", missing)}, but the data ({data.Description}) has only: {string.Join(", ", data.SplitNames.Order())}.");
        return sources.ToDictionary(s => s, s => Label(task, data.Read(s), columnOverrides));
    }

    public static IReadOnlyList<Example> Label(TaskDefinition task, RawSplit split, IReadOnlyDictionary<string, string>? columnOverrides = null)
    {
        string Column(string field) => columnOverrides is not null && columnOverrides.TryGetValue(field, out var c) ? c : task.ColumnFor(field);

        if (split.Rows.Count == 0) throw new IclPruneException($"split {split.Name} ({split.Source}) is empty; expected labelled rows.");
        var fields = PromptRenderer.FieldsUsed(task).Append(task.LabelField).Distinct().ToList();
        // An override for a field the task never reads is a typo; ignoring it would score the default column silently.
        foreach (string field in columnOverrides?.Keys ?? [])
            if (!fields.Contains(field))
                throw new UsageException($"column override '{field}={columnOverrides![field]}': task {task.Id} has no field '{field}'; its fields: {string.Join(", ", fields)}.");
        foreach (string field in fields)
        {
            string column = Column(field);
            if (!split.Columns.Contains(column))
                throw new IclPruneException(
                    $"split {split.Name} ({split.Source}) has no column '{column}' (task {task.Id}, field '{field}'); its columns are: {string.Join(", ", split.Columns)}. " +
                    $"Map the field to a column with the override {field}=COLUMN.");
        }

        string labelColumn = Column(task.LabelField);
        if (split.Rows.All(r => r.GetValueOrDefault(labelColumn) is null or HiddenLabel))
            throw new IclPruneException(
                $"split {split.Name} ({split.Source}) has only hidden labels (-1 or empty in column '{labelColumn}'): it cannot be scored or used for demonstrations. " +
                "Hugging Face hides test labels of GLUE/SuperGLUE; score the validation split instead.");

        var examples = new List<Example>(split.Rows.Count);
        for (int i = 0; i < split.Rows.Count; i++)
        {
            var row = split.Rows[i];
            string? labelValue = row.GetValueOrDefault(labelColumn);
            int cls = labelValue is null ? -1 : task.ClassOfValue(labelValue);
            if (cls < 0)
                throw new IclPruneException(
                    $"split {split.Name} ({split.Source}) row {i}: label '{labelValue ?? "(null)"}' in column '{labelColumn}' is not mapped by task {task.Id}; " +
                    $"mapped values: {string.Join("; ", task.Classes.Select(c => $"{c.Text} <- {string.Join(", ", c.Values)}"))}.");
            var values = new Dictionary<string, string>(fields.Count);
            foreach (string field in fields)
            {
                if (field == task.LabelField) continue;
                string? text = row.GetValueOrDefault(Column(field));
                if (text is null)
                    throw new IclPruneException($"split {split.Name} ({split.Source}) row {i}: column '{Column(field)}' (field '{field}') is null; expected text.");
                values[field] = task.TrimFields ? text.Trim() : text;
            }
            examples.Add(new Example(split.Name, i, values, cls));
        }
        return examples;
    }
}
