using System.CommandLine;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Prompts;
using IclPrune.Evaluation.Tasks;
using IclPrune.Tool.Cli;

namespace IclPrune.Tool.Commands;

/// <summary>`tasks show NAME`: the task file and one rendered prompt (real data when bundled or given with --data).</summary>
public sealed class TasksShowCommand : Command
{
    static readonly Argument<string> TaskName = new("NAME") { Description = "A built-in task id or a task YAML file." };
    static readonly Option<string?> Data = TaskSelectionOptions.CreateData();   // the prompt is rendered from this data
    static readonly Option<int> Seed = new("--seed") { Description = "Demonstration seed of the rendered prompt.", DefaultValueFactory = _ => 0 };

    readonly CliConsole _console;

    public TasksShowCommand(CliConsole console) : base("show", "Print a task file and one prompt rendered from it.")
    {
        _console = console;
        Arguments.Add(TaskName);
        Options.Add(Data);
        Options.Add(Seed);
        SetAction((parse, _) => Task.FromResult(Execute(parse)));
    }

    int Execute(ParseResult parse)
    {
        var task = TaskCatalog.Get(parse.GetValue(TaskName)!);
        var output = _console.Output;
        output.WriteLine($"# {task.Origin}");
        output.Write(task.SourceText);
        if (!task.SourceText.EndsWith('\n')) output.WriteLine();

        string? dataOption = parse.GetValue(Data);
        bool hasData = dataOption is not null || TaskCatalog.BundledData(task.Id).Count > 0;
        var (prompt, answers) = hasData
            ? ExamplePrompt.FromData(TaskDataset.Load(task, dataOption is null ? null : OptionChecks.Naming(Data.Name, () => DataSourceSpec.Parse(dataOption))), SplitRole.Test, parse.GetValue(Seed))
            : ExamplePrompt.WithPlaceholders(task);
        output.WriteLine();
        output.WriteLine(hasData
            ? $"# Prompt for the first test item, demonstration seed {parse.GetValue(Seed)} (between the markers, exactly):"
            : "# Example prompt (no data given: <field N> stands for a value; between the markers, exactly):");
        output.WriteLine("#---8<---");
        output.WriteLine(prompt);
        output.WriteLine("#--->8---");
        output.WriteLine("# Scored continuations: " + string.Join(" | ", answers.Select(a => System.Text.Json.JsonSerializer.Serialize(a))));
        return ExitCodes.Success;
    }
}
