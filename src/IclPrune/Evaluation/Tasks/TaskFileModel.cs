namespace IclPrune.Evaluation.Tasks;

// The task YAML as YamlDotNet reads it (keys in snake_case). Everything is nullable here so that TaskParser can say
// which key is missing instead of YamlDotNet failing on a default. Schema: docs/tasks.md.

internal sealed class TaskFileModel
{
    public string? Id { get; set; }
    public string? Description { get; set; }
    public string? Type { get; set; }
    public string? DataSource { get; set; }
    public Dictionary<string, string>? Columns { get; set; }
    public string? LabelField { get; set; }
    public bool? TrimFields { get; set; }
    public TemplateModel? Template { get; set; }
    public List<ClassModel>? Labels { get; set; }
    public List<ClassModel>? Choices { get; set; }
    public DemonstrationsModel? Demonstrations { get; set; }
    public SplitsModel? Splits { get; set; }
}

internal sealed class TemplateModel
{
    public string? Demonstration { get; set; }
    public string? Query { get; set; }
    public string? Answer { get; set; }
    public string? Separator { get; set; }
}

/// <summary>A label (word) or a choice (field), with the dataset label values that select it.</summary>
internal sealed class ClassModel
{
    public string? Word { get; set; }
    public string? Field { get; set; }
    public List<string>? Values { get; set; }
}

internal sealed class DemonstrationsModel
{
    public string? Policy { get; set; }
    public int? Shots { get; set; }
}

internal sealed class SplitsModel
{
    public int? Seed { get; set; }
    public SplitDrawModel? Demonstrations { get; set; }
    public SplitDrawModel? Validation { get; set; }
    public SplitDrawModel? Test { get; set; }
}

internal sealed class SplitDrawModel
{
    public string? From { get; set; }
    public int? Size { get; set; }
    public int? PerClass { get; set; }
    public bool? Rest { get; set; }
}
