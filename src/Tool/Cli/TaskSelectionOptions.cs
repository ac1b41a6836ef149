using System.CommandLine;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Tasks;
using IclPrune.Models;

namespace IclPrune.Tool.Cli;

/// <summary>
/// --task, --data, --column, --seeds, --shots, --batch-size, --limit, --no-cache: what a command that evaluates
/// scores and how. The one declaration of these options (eval, search, sweep); values are checked while parsing.
/// </summary>
public sealed class TaskSelectionOptions
{
    public readonly Option<string> Task = new("--task", "-t")
    {
        Description = "Built-in task id (see `tasks`) or a task YAML file (docs/tasks.md).",
        Required = true,
        HelpName = "TASK",
    };

    public readonly Option<string?> Data = CreateData();

    /// <summary>--data alone, for commands that read a task's data without evaluating it (`tasks show`).</summary>
    public static Option<string?> CreateData() => new("--data")
    {
        Description = "A folder of SPLIT.{jsonl,csv,tsv,parquet} files, or train=PATH,validation=PATH,test=PATH. Optional for tasks with bundled data.",
        HelpName = "DATA",
    };

    public readonly Option<string[]> Column = new Option<string[]>("--column")
    {
        Description = "Read template field FIELD from dataset column COLUMN (FIELD=COLUMN). Repeatable.",
        HelpName = "FIELD=COLUMN",
    }.Checked(pairs => ParseColumns(pairs));

    public readonly Option<string> Seeds = SeedList.Option([0]);

    public readonly Option<int?> Shots = new Option<int?>("--shots")
    {
        Description = "Demonstrations per prompt (default: the task's).",
        HelpName = "N",
    }.Checked(n => { if (n < 0) throw new UsageException($"--shots {n} is negative; expected 0 or more demonstrations."); });

    public readonly Option<string> BatchSize = BatchSizeOption.Create();

    public readonly Option<int?> Limit = new Option<int?>("--limit")
    {
        Description = "Score only the first N items of the split (quick runs).",
        HelpName = "N",
    }.Checked(n => { if (n < 1) throw new UsageException($"--limit {n} must be at least 1."); });

    public readonly Option<bool> NoCache = new("--no-cache") { Description = "Run every full prompt instead of reusing the demonstrations' KV cache (A/B check)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Task, Data, Column, Seeds, Shots, BatchSize, Limit, NoCache }) command.Options.Add(option);
    }

    public TaskDataset LoadData(ParseResult parse)
    {
        var task = TaskCatalog.Get(parse.GetValue(Task)!);
        var columns = ParseColumns(parse.GetValue(Column) ?? []);
        // Read here (folders, files), not while parsing; the core's usage errors then get the flag they are about.
        string? data = parse.GetValue(Data);
        var source = OptionChecks.Naming(Data.Name, () => data is null ? TaskDataset.BundledSource(task) : DataSourceSpec.Parse(data));
        return OptionChecks.Naming(Column.Name, () => TaskDataset.Load(task, source, columns));
    }

    /// <summary>The evaluation options given on the command line, with --batch-size auto resolved for the loaded model.</summary>
    public EvaluationOptions Options(ParseResult parse, ModelDescription model) => BatchSizeOption.Apply(new EvaluationOptions
    {
        Seeds = SeedList.Parse(parse.GetValue(Seeds)!),
        Shots = parse.GetValue(Shots),
        Limit = parse.GetValue(Limit),
        UseCache = !parse.GetValue(NoCache),
    }, parse, BatchSize, model);

    static IReadOnlyDictionary<string, string> ParseColumns(string[] pairs)
    {
        var columns = new Dictionary<string, string>();
        foreach (string pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1) throw new UsageException($"--column '{pair}': expected FIELD=COLUMN, e.g. sentence=text.");
            columns[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return columns;
    }
}
