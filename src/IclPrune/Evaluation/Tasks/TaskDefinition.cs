namespace IclPrune.Evaluation.Tasks;

/// <summary>
/// One ICL task, as read from a task YAML file (schema in docs/tasks.md): what the data looks like, how a prompt is
/// built from it, how demonstrations are drawn and which items are scored.
/// </summary>
public sealed record TaskDefinition
{
    public required string Id { get; init; }
    public string Description { get; init; } = "";
    public required TaskType Type { get; init; }

    /// <summary>Template field name to dataset column name; the label field is <see cref="LabelField"/>.</summary>
    public required IReadOnlyDictionary<string, string> Columns { get; init; }

    /// <summary>The template field holding the dataset's label value (a key of <see cref="Columns"/>).</summary>
    public string LabelField { get; init; } = "label";

    public required TemplateSpec Template { get; init; }

    /// <summary>
    /// The answer classes in declaration order. Classification: the label word of each class. Choice: the field that
    /// holds each candidate continuation. Either way, the dataset label values that select the class.
    /// </summary>
    public required IReadOnlyList<TaskClass> Classes { get; init; }

    /// <summary>Trim surrounding whitespace of every field value before it enters a prompt (demonstrations and query alike).</summary>
    public bool TrimFields { get; init; }

    public required DemonstrationSpec Demonstrations { get; init; }
    public required SplitPlan Splits { get; init; }

    /// <summary>Where the data usually comes from (e.g. "Hugging Face glue/sst2, Parquet"): shown by `tasks`.</summary>
    public string DataSource { get; init; } = "";

    /// <summary>"builtin:ID" or the full path of the user's file.</summary>
    public required string Origin { get; init; }

    /// <summary>The YAML text the task was read from (shown by `tasks show`, part of the task fingerprint).</summary>
    public required string SourceText { get; init; }

    public string ColumnFor(string field) => Columns.TryGetValue(field, out var column) ? column : field;

    public int ClassOfValue(string value)
    {
        for (int c = 0; c < Classes.Count; c++)
            if (Classes[c].Values.Contains(value)) return c;
        return -1;
    }
}

public enum TaskType
{
    /// <summary>Compare label words at the query's last position (multi-token words: summed log-prob).</summary>
    Classification,
    /// <summary>Compare candidate continuations by mean log-likelihood per token.</summary>
    Choice,
}

/// <summary>
/// Classification: <paramref name="Text"/> is the label word. Choice: it is the field holding this candidate.
/// <paramref name="Values"/>: dataset label values (as text) that mean this class.
/// </summary>
public sealed record TaskClass(string Text, IReadOnlyList<string> Values);

/// <summary>
/// The prompt pieces. A prompt is demonstration(d1) + separator + ... + demonstration(dk) + separator + query(x), and
/// the model scores answer(x, class) as the continuation. Placeholders: {field} for a template field, {label} for
/// the class's label word (classification) and {choice} for the class's candidate text (choice); "{{" and "}}" are
/// literal braces.
/// </summary>
public sealed record TemplateSpec(string Demonstration, string Query, string Answer, string Separator);

public enum DemonstrationPolicy
{
    /// <summary>Shots spread evenly over classes, interleaved in class order (c0, c1, ..., c0, c1, ...): the paper's.</summary>
    Balanced,
    /// <summary>A seeded random draw from the pool, in drawn order.</summary>
    Random,
    /// <summary>The first shots of the pool, in pool order (the seed does not matter).</summary>
    First,
}

public sealed record DemonstrationSpec(DemonstrationPolicy Policy, int Shots);

/// <summary>
/// How the labelled source splits of the data become the demonstration pool and the two scored splits. Sized draws
/// are taken first with <see cref="Seed"/> (fixed per task, independent of the demonstration seeds, so that
/// every demonstration seed scores the same items), then the pool, then "rest" takes what is left.
/// </summary>
public sealed record SplitPlan(int Seed, SplitDraw Demonstrations, SplitDraw Validation, SplitDraw Test)
{
    public SplitDraw this[string name] => name switch
    {
        "demonstrations" => Demonstrations,
        "validation" => Validation,
        "test" => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "expected demonstrations, validation or test"),
    };
}

/// <summary>
/// Items of one planned split, taken from source split <paramref name="From"/>: <paramref name="Size"/> items at
/// random, or <paramref name="PerClass"/> items of each class at random, or (neither) the whole source, or with
/// <paramref name="Rest"/> whatever the other draws from the same source left.
/// </summary>
public sealed record SplitDraw(string From, int? Size = null, int? PerClass = null, bool Rest = false)
{
    public bool TakesAll => Size is null && PerClass is null && !Rest;

    public override string ToString() =>
        Rest ? $"rest of {From}"
        : PerClass is { } p ? $"{p}/class from {From}"
        : Size is { } s ? $"{s} from {From}"
        : $"all of {From}";
}
