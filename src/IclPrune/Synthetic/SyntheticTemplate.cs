namespace IclPrune.Synthetic;

/// <summary>
/// How one demonstration is written: <c>{Before} {item}{Between} {label}{After}</c>; a query stops after
/// <see cref="Between"/>, so the label word (with its leading space) is the next token to score.
/// Every piece either starts with a space-prefixed word the tokenizer keeps whole, or is punctuation/newline, so a
/// prompt's tokens are the concatenation of its pieces' tokens.
/// </summary>
public sealed record SyntheticTemplate(string Name, string Before, string Between, string After)
{
    /// <summary>
    /// "{x} {y}": no separator, so the label directly follows its item: the classic induction-head pattern
    /// (match the current token, copy what followed it). The template of the built-in tasks: the only one on which
    /// in-context learning emerged within our CPU budget (docs/tiny-model.md).
    /// </summary>
    public static readonly SyntheticTemplate Plain = new("plain", "", "", "\n");
    /// <summary>"{x} = {y}": with a separator (4 tokens per demonstration; trained, not yet learned: docs/tiny-model.md).</summary>
    public static readonly SyntheticTemplate Assign = new("assign", "", " =", "\n");
    /// <summary>"item: {x} label: {y}": the paper's text/label layout in miniature (6 tokens per demonstration).</summary>
    public static readonly SyntheticTemplate Labelled = new("labelled", " item:", " label:", "\n");
    /// <summary>"{x} -> {y} ;" on one line.</summary>
    public static readonly SyntheticTemplate Arrow = new("arrow", "", " ->", " ;");

    public static IReadOnlyList<SyntheticTemplate> All { get; } = [Plain, Assign, Labelled, Arrow];

    /// <summary>Template words (without their leading space) that the tokenizer keeps whole.</summary>
    public static IReadOnlyList<string> ReservedWords { get; } = ["item", "label"];

    public string Demonstration(string item, string label) => $"{Before} {item}{Between} {label}{After}";
    public string Query(string item) => $"{Before} {item}{Between}";

    /// <summary>
    /// The same layout as a template string with {text} and {label} placeholders (for task files).
    /// </summary>
    public string DemonstrationFormat => Before + " {text}" + Between + " {label}" + After;

    public static SyntheticTemplate ByName(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new UsageException($"template '{name}' is unknown; expected one of {string.Join(", ", All.Select(t => t.Name))}.");
}
