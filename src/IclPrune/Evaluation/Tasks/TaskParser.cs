using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace IclPrune.Evaluation.Tasks;

/// <summary>
/// Reads a task YAML into a validated <see cref="TaskDefinition"/>. Every error names the file, the key (a path such as
/// "splits.validation.per_class") and what was expected, because a task file is something a user writes by hand.
/// </summary>
public static partial class TaskParser
{
    static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static TaskDefinition Parse(string yamlText, string origin)
    {
        TaskFileModel? model;
        try
        {
            model = Yaml.Deserialize<TaskFileModel>(yamlText);
        }
        catch (YamlException e)
        {
            // YamlDotNet's message names the key ("Property 'foo' not found on type ...") or the bad scalar.
            string message = (e.InnerException?.Message ?? e.Message).Replace(" on type 'IclPrune.Evaluation.Tasks.", " in section '");
            throw new IclPruneException($"task file {origin}: line {e.Start.Line}, column {e.Start.Column}: {message}");
        }
        if (model is null) throw new IclPruneException($"task file {origin}: the file is empty; expected a YAML mapping with id, type, template, ...");
        return new Validator(origin).Build(model, yamlText);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();

    sealed class Validator(string origin)
    {
        IclPruneException Error(string key, string problem) => new($"task file {origin}: key '{key}': {problem}");

        public TaskDefinition Build(TaskFileModel m, string text)
        {
            string id = m.Id ?? throw Error("id", "missing; expected a task id such as sst2");
            if (!IdPattern().IsMatch(id)) throw Error("id", $"'{id}' is not a valid id; expected lower-case letters, digits, '.', '_' or '-'");

            TaskType type = m.Type switch
            {
                "classification" => TaskType.Classification,
                "choice" => TaskType.Choice,
                null => throw Error("type", "missing; expected classification or choice"),
                _ => throw Error("type", $"'{m.Type}' is not a task type; expected classification or choice"),
            };

            var classes = type == TaskType.Classification ? Classes(m.Labels, "labels", "word") : Classes(m.Choices, "choices", "field");
            if (type == TaskType.Classification && m.Choices is not null) throw Error("choices", "only a choice task has choices; a classification task has labels");
            if (type == TaskType.Choice && m.Labels is not null) throw Error("labels", "only a classification task has labels; a choice task has choices");

            var template = Template(m.Template, type);
            var columns = m.Columns ?? new Dictionary<string, string>();
            foreach (var (field, column) in columns)
                if (string.IsNullOrWhiteSpace(column)) throw Error($"columns.{field}", "empty; expected the dataset column name");
            string labelField = m.LabelField ?? "label";

            return new TaskDefinition
            {
                Id = id,
                Description = m.Description ?? "",
                Type = type,
                Columns = columns,
                LabelField = labelField,
                Template = template,
                Classes = classes,
                TrimFields = m.TrimFields ?? false,
                Demonstrations = Demonstrations(m.Demonstrations),
                Splits = Splits(m.Splits),
                DataSource = m.DataSource ?? "",
                Origin = origin,
                SourceText = text,
            };
        }

        List<TaskClass> Classes(List<ClassModel>? list, string key, string textKey)
        {
            if (list is null || list.Count < 2) throw Error(key, $"expected a list of at least two entries, each with '{textKey}' and 'values'");
            var seen = new Dictionary<string, int>();
            var classes = new List<TaskClass>();
            for (int i = 0; i < list.Count; i++)
            {
                var entry = list[i];
                string? text = textKey == "word" ? entry.Word : entry.Field;
                string? other = textKey == "word" ? entry.Field : entry.Word;
                if (other is not null) throw Error($"{key}[{i}]", $"has '{(textKey == "word" ? "field" : "word")}'; entries of '{key}' take '{textKey}'");
                if (string.IsNullOrEmpty(text)) throw Error($"{key}[{i}].{textKey}", "missing or empty");
                if (entry.Values is null || entry.Values.Count == 0)
                    throw Error($"{key}[{i}].values", "missing; expected the dataset label values of this class, e.g. [0]");
                foreach (string value in entry.Values)
                {
                    if (seen.TryGetValue(value, out int previous))
                        throw Error($"{key}[{i}].values", $"label value '{value}' is already mapped by {key}[{previous}]; each value maps to one class");
                    seen[value] = i;
                }
                classes.Add(new TaskClass(text, entry.Values.ToArray()));
            }
            return classes;
        }

        TemplateSpec Template(TemplateModel? t, TaskType type)
        {
            if (t is null) throw Error("template", "missing; expected demonstration, query, answer and separator");
            string slot = type == TaskType.Classification ? "label" : "choice";
            string demonstration = t.Demonstration ?? throw Error("template.demonstration", "missing");
            string query = t.Query ?? throw Error("template.query", "missing");
            string answer = t.Answer ?? $" {{{slot}}}";
            string separator = t.Separator ?? "";
            CheckPlaceholders("template.demonstration", demonstration, slot, required: true);
            CheckPlaceholders("template.query", query, slot, required: false, forbidden: true);
            CheckPlaceholders("template.answer", answer, slot, required: true);
            if (separator.Contains('{') || separator.Contains('}')) throw Error("template.separator", "must be plain text without placeholders");
            return new TemplateSpec(demonstration, query, answer, separator);
        }

        void CheckPlaceholders(string key, string template, string slot, bool required, bool forbidden = false)
        {
            string stripped = template.Replace("{{", "").Replace("}}", "");
            var names = Placeholder().Matches(stripped).Select(x => x.Groups[1].Value).ToList();
            if (Placeholder().Replace(stripped, "").IndexOfAny(['{', '}']) >= 0)
                throw Error(key, "has an unbalanced '{' or '}'; write '{{' or '}}' for a literal brace");
            foreach (string name in names)
                if (name.Length == 0 || name.Trim() != name) throw Error(key, $"placeholder '{{{name}}}' is not a field name");
            string other = slot == "label" ? "choice" : "label";
            if (names.Contains(other)) throw Error(key, $"uses {{{other}}}, which this task type does not have; expected {{{slot}}}");
            if (required && !names.Contains(slot)) throw Error(key, $"must contain {{{slot}}}");
            if (forbidden && names.Contains(slot)) throw Error(key, $"must not contain {{{slot}}}: the query is scored without its answer");
        }

        DemonstrationSpec Demonstrations(DemonstrationsModel? d)
        {
            if (d is null) throw Error("demonstrations", "missing; expected policy (balanced|random|first) and shots");
            var policy = d.Policy switch
            {
                "balanced" or null => DemonstrationPolicy.Balanced,
                "random" => DemonstrationPolicy.Random,
                "first" => DemonstrationPolicy.First,
                _ => throw Error("demonstrations.policy", $"'{d.Policy}' is not a policy; expected balanced, random or first"),
            };
            int shots = d.Shots ?? throw Error("demonstrations.shots", "missing; expected the number of demonstrations per prompt");
            if (shots < 0) throw Error("demonstrations.shots", $"{shots} is negative; expected 0 or more");
            return new DemonstrationSpec(policy, shots);
        }

        SplitPlan Splits(SplitsModel? s)
        {
            if (s is null) throw Error("splits", "missing; expected seed, demonstrations, validation and test");
            int seed = s.Seed ?? throw Error("splits.seed", "missing; expected the integer seed that fixes the split draws");
            var plan = new SplitPlan(seed,
                Draw(s.Demonstrations, "splits.demonstrations"),
                Draw(s.Validation, "splits.validation"),
                Draw(s.Test, "splits.test"));
            var draws = new[] { ("demonstrations", plan.Demonstrations), ("validation", plan.Validation), ("test", plan.Test) };
            foreach (var group in draws.GroupBy(d => d.Item2.From))
            {
                var list = group.ToList();
                if (list.Count(d => d.Item2.Rest) > 1)
                    throw Error("splits", $"more than one split takes the rest of '{group.Key}'; at most one may");
                if (list.Count > 1 && list.Any(d => d.Item2.TakesAll))
                    throw Error($"splits.{list.First(d => d.Item2.TakesAll).Item1}",
                        $"takes all of '{group.Key}', which another split also draws from; give it a size, per_class or rest: true");
            }
            return plan;
        }

        SplitDraw Draw(SplitDrawModel? d, string key)
        {
            if (d is null) throw Error(key, "missing; expected {from: SPLIT} with optional size, per_class or rest: true");
            string from = d.From ?? throw Error($"{key}.from", "missing; expected a source split name such as train");
            if (d.Size is not null && d.PerClass is not null) throw Error(key, "has both size and per_class; expected one");
            if (d.Rest == true && (d.Size is not null || d.PerClass is not null)) throw Error(key, "rest: true takes no size or per_class");
            if (d.Size is <= 0) throw Error($"{key}.size", $"{d.Size} is not positive");
            if (d.PerClass is <= 0) throw Error($"{key}.per_class", $"{d.PerClass} is not positive");
            return new SplitDraw(from, d.Size, d.PerClass, d.Rest ?? false);
        }
    }
}
