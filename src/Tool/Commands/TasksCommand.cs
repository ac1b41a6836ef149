using System.CommandLine;
using System.Text.Json;
using IclPrune.Evaluation.Tasks;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>`tasks`: the built-in tasks with type, label words, shots, splits and where their data comes from.</summary>
public sealed class TasksCommand : Command
{
    static readonly Option<bool> Json = new("--json") { Description = "Write the task list as JSON to stdout." };

    readonly CliConsole _console;

    public TasksCommand(CliConsole console) : base("tasks", "List the built-in ICL tasks (task files: docs/tasks.md).")
    {
        _console = console;
        Options.Add(Json);
        Subcommands.Add(new TasksShowCommand(console));
        SetAction((parse, _) => Task.FromResult(Execute(parse)));
    }

    int Execute(ParseResult parse)
    {
        var tasks = TaskCatalog.BuiltIn;
        if (parse.GetValue(Json))
        {
            var list = tasks.Select(Describe).ToList();
            _console.Output.WriteLine(JsonSerializer.Serialize(list, new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Success;
        }
        var table = new Table().Border(TableBorder.Simple);
        // Narrow padding: a redirected console is 80 columns wide and this table has nine.
        foreach (string name in new[] { "task", "type", "labels", "shots", "validation", "test", "demo pool", "seed", "data" })
            table.AddColumn(new TableColumn(name).PadLeft(0).PadRight(1));
        foreach (var t in tasks)
        {
            table.AddRow(
                Markup.Escape(t.Id),
                t.Type == TaskType.Choice ? "choice" : "class.",
                Markup.Escape(string.Join(" ", t.Classes.Select(c => c.Text))),
                $"{t.Demonstrations.Shots}",
                Markup.Escape(Short(t.Splits.Validation)),
                Markup.Escape(Short(t.Splits.Test)),
                Markup.Escape(Short(t.Splits.Demonstrations)),
                t.Splits.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                TaskCatalog.BundledData(t.Id).Count > 0 ? "bundled" : "--data");
        }
        _console.Results.Write(table);
        _console.Results.MarkupLine("Data sources, label values, policy: [bold]tasks show NAME[/] or [bold]tasks --json[/]. Your own task: a YAML file (docs/tasks.md), passed by path to --task.");
        return ExitCodes.Success;
    }

    /// <summary>A narrow form of a split draw for the table ("train 200/cls", "validation").</summary>
    static string Short(SplitDraw d) =>
        d.Rest ? $"{d.From} rest" : d.PerClass is { } p ? $"{d.From} {p}/cls" : d.Size is { } n ? $"{d.From} {n}" : d.From;

    static object Describe(TaskDefinition t) => new Dictionary<string, object?>
    {
        ["id"] = t.Id,
        ["type"] = t.Type.ToString().ToLowerInvariant(),
        ["description"] = t.Description,
        [t.Type == TaskType.Choice ? "choices" : "labels"] = t.Classes.Select(c => new { text = c.Text, values = c.Values }).ToList(),
        ["shots"] = t.Demonstrations.Shots,
        ["policy"] = t.Demonstrations.Policy.ToString().ToLowerInvariant(),
        ["splits"] = new
        {
            seed = t.Splits.Seed,
            validation = t.Splits.Validation.ToString(),
            test = t.Splits.Test.ToString(),
            demonstrations = t.Splits.Demonstrations.ToString(),
        },
        ["data_source"] = t.DataSource,
        ["bundled_data"] = TaskCatalog.BundledData(t.Id).Keys.Order().ToList(),
        ["origin"] = t.Origin,
    };
}
