using System.CommandLine;
using System.Globalization;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Tool.Cli;

/// <summary>--task, --data, --seeds, --shots, --batch-size, --limit, --no-cache for commands that evaluate.</summary>
public sealed class TaskSelectionOptions
{
    public readonly Option<string> Task = new("--task", "-t")
    {
        Description = "Built-in task id (see `tasks`) or a task YAML file.",
        Required = true,
        HelpName = "TASK",
    };

    public readonly Option<string?> Data = new("--data")
    {
        Description = "Data folder (SPLIT.jsonl/csv/parquet) or SPLIT=PATH,...; default: the task's bundled data.",
        HelpName = "DATA",
    };

    public readonly Option<string> Seeds = new("--seeds")
    {
        Description = "Demonstration seeds, comma-separated; one demonstration set per seed.",
        DefaultValueFactory = _ => "0",
        HelpName = "LIST",
    };

    public readonly Option<int?> Shots = new("--shots") { Description = "Demonstrations per prompt (default: the task's)." };

    public readonly Option<int> BatchSize = new("--batch-size") { Description = "Queries per forward pass.", DefaultValueFactory = _ => 8 };

    public readonly Option<int?> Limit = new("--limit") { Description = "Score only the first N items of each split (quick runs)." };

    public readonly Option<bool> NoCache = new("--no-cache") { Description = "Run every full prompt instead of reusing the demonstrations' KV cache (A/B)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Task, Data, Seeds, Shots, BatchSize, Limit, NoCache }) command.Options.Add(option);
    }

    public TaskDataset LoadData(ParseResult parse)
    {
        var task = TaskCatalog.Get(parse.GetValue(Task)!);
        string? data = parse.GetValue(Data);
        return TaskDataset.Load(task, data is null ? null : DataSourceSpec.Parse(data));
    }

    public EvaluationOptions Options(ParseResult parse) => new()
    {
        Seeds = SeedList.Parse(parse.GetValue(Seeds)!),
        Shots = parse.GetValue(Shots),
        BatchSize = parse.GetValue(BatchSize),
        Limit = parse.GetValue(Limit),
        UseCache = !parse.GetValue(NoCache),
    };
}
