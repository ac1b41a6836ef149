using System.Text;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Evaluation.Prompts;

/// <summary>
/// Renders a task's template pieces exactly: field values are inserted verbatim (after the task's optional trim),
/// nothing else is added or stripped. A prompt is demonstration(d1) + separator + ... + demonstration(dk) + separator
/// + query(x); the scored continuation is answer(x, class).
/// </summary>
public static class PromptRenderer
{
    const string LabelSlot = "label";
    const string ChoiceSlot = "choice";

    /// <summary>The demonstration text of one labelled example (its gold class fills {label} or {choice}).</summary>
    public static string Demonstration(TaskDefinition task, Example example) =>
        Render(task.Template.Demonstration, task, example, example.Class);

    public static string Query(TaskDefinition task, Example example) =>
        Render(task.Template.Query, task, example, cls: null);

    /// <summary>The continuation for class <paramref name="cls"/>: " pos" for a label word, "{choice2 text}\n" for COPA.</summary>
    public static string Answer(TaskDefinition task, Example example, int cls) =>
        Render(task.Template.Answer, task, example, cls);

    /// <summary>All demonstrations, each followed by the separator: the text before the query.</summary>
    public static string Prefix(TaskDefinition task, IEnumerable<Example> demonstrations)
    {
        var text = new StringBuilder();
        foreach (var demonstration in demonstrations)
            text.Append(Demonstration(task, demonstration)).Append(task.Template.Separator);
        return text.ToString();
    }

    /// <summary>Prefix + query: the full prompt as the model reads it (for `tasks show` and reports).</summary>
    public static string FullPrompt(TaskDefinition task, IEnumerable<Example> demonstrations, Example query) =>
        Prefix(task, demonstrations) + Query(task, query);

    /// <summary>Every data field the templates read (placeholders other than {label}/{choice}, plus choice fields).</summary>
    public static IReadOnlyList<string> FieldsUsed(TaskDefinition task)
    {
        var fields = new List<string>();
        foreach (string template in new[] { task.Template.Demonstration, task.Template.Query, task.Template.Answer })
            foreach (var (isField, text) in Pieces(template))
                if (isField && text is not LabelSlot and not ChoiceSlot && !fields.Contains(text)) fields.Add(text);
        if (task.Type == TaskType.Choice)
            foreach (var c in task.Classes)
                if (!fields.Contains(c.Text)) fields.Add(c.Text);
        return fields;
    }

    static string Render(string template, TaskDefinition task, Example example, int? cls)
    {
        var text = new StringBuilder(template.Length + 64);
        foreach (var (isField, piece) in Pieces(template))
        {
            if (!isField)
            {
                text.Append(piece);
                continue;
            }
            text.Append(piece switch
            {
                LabelSlot or ChoiceSlot when cls is null =>
                    throw new InvalidOperationException($"template of task {task.Id} asks for {{{piece}}} where no class is given."),
                LabelSlot => task.Classes[cls!.Value].Text,
                ChoiceSlot => example.Fields[task.Classes[cls!.Value].Text],
                _ => example.Fields[piece],
            });
        }
        return text.ToString();
    }

    /// <summary>Splits a template into literal text and {field} names; "{{" and "}}" are literal braces (TaskParser validated it).</summary>
    internal static IEnumerable<(bool IsField, string Text)> Pieces(string template)
    {
        var literal = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char ch = template[i];
            if ((ch == '{' || ch == '}') && i + 1 < template.Length && template[i + 1] == ch)
            {
                literal.Append(ch);
                i++;
            }
            else if (ch == '{')
            {
                int end = template.IndexOf('}', i + 1);
                if (literal.Length > 0) { yield return (false, literal.ToString()); literal.Clear(); }
                yield return (true, template[(i + 1)..end]);
                i = end;
            }
            else
            {
                literal.Append(ch);
            }
        }
        if (literal.Length > 0) yield return (false, literal.ToString());
    }
}
