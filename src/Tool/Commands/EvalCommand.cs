using System.CommandLine;
using System.Globalization;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Tasks;
using IclPrune.Pruning;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>`eval`: ICL accuracy of a model (optionally pruned) on a task, per demonstration seed (docs/evaluation.md).</summary>
public sealed class EvalCommand : Command
{
    readonly CliConsole _console;
    readonly ModelSelectionOptions _model = new();
    readonly PruneSpecOptions _prune = new();

    static readonly Option<string> TaskOption = new("--task", "-t")
    {
        Description = "Built-in task id (see `tasks`) or a task YAML file (docs/tasks.md).", Required = true, HelpName = "TASK",
    };
    static readonly Option<string?> Data = new("--data")
    {
        Description = "A folder of SPLIT.{jsonl,csv,tsv,parquet} files, or train=PATH,validation=PATH,test=PATH. Optional for tasks with bundled data.",
        HelpName = "DATA",
    };
    static readonly Option<string[]> Column = new("--column")
    {
        Description = "Read template field FIELD from dataset column COLUMN (FIELD=COLUMN). Repeatable.", HelpName = "FIELD=COLUMN",
    };
    static readonly Option<string> Split = new("--split") { Description = "Split to score: validation or test.", DefaultValueFactory = _ => "test" };
    static readonly Option<int?> Shots = new("--shots") { Description = "Demonstrations per prompt (default: the task's).", HelpName = "N" };
    static readonly Option<string> Seeds = new("--seeds")
    {
        Description = "Demonstration seeds, comma-separated: one independent demonstration set per seed.", DefaultValueFactory = _ => "0",
    };
    static readonly Option<int?> Limit = new("--limit") { Description = "Score only the first N items of the split.", HelpName = "N" };
    static readonly Option<string> BatchSize = new("--batch-size")
    {
        Description = "Queries per forward pass, or auto (8 on CPU, 32 on CUDA).", DefaultValueFactory = _ => "auto", HelpName = "N|auto",
    };
    static readonly Option<bool> NoCache = new("--no-cache") { Description = "Run every full prompt instead of reusing the demonstrations' KV cache (A/B check)." };
    static readonly Option<string?> Out = new("--out", "-o") { Description = "Write the results JSON here (docs/results-schema.md).", HelpName = "FILE" };
    static readonly Option<bool> Json = new("--json") { Description = "Print the results JSON to stdout instead of the summary table." };

    public EvalCommand(CliConsole console) : base("eval", "Measure in-context-learning accuracy of a (pruned) model on a task, per demonstration seed.")
    {
        _console = console;
        _model.AddTo(this);
        _prune.AddTo(this);
        foreach (var option in new Option[] { TaskOption, Data, Column, Split, Shots, Seeds, Limit, BatchSize, NoCache, Out, Json })
            Options.Add(option);
        SetAction((parse, cancellation) => Task.FromResult(Execute(parse, cancellation)));
    }

    int Execute(ParseResult parse, CancellationToken cancellation)
    {
        // Everything that can be wrong on the command line is checked before the (slow) model load.
        var specs = _prune.Specs(parse);
        var task = TaskCatalog.Get(parse.GetValue(TaskOption)!);
        var split = ParseSplit(parse.GetValue(Split)!);
        var seeds = SeedList.Parse(parse.GetValue(Seeds)!);
        int? batch = ParseBatchSize(parse.GetValue(BatchSize)!);
        var columns = ParseColumns(parse.GetValue(Column) ?? []);
        string? dataOption = parse.GetValue(Data);
        var data = TaskDataset.Load(task, dataOption is null ? null : DataSourceSpec.Parse(dataOption), columns);

        using var loaded = _model.Load(parse);
        var options = new EvaluationOptions
        {
            Split = split,
            Shots = parse.GetValue(Shots),
            Seeds = seeds,
            BatchSize = batch ?? EvaluationOptions.AutoBatchSize(loaded.Model.Description),
            Limit = parse.GetValue(Limit),
            UseCache = !parse.GetValue(NoCache),
            Warning = _console.Warn,
        };
        // The process ends after this evaluation: prune for good, no copy of the original weights.
        using var session = new EvaluationSession(loaded, data, options, new SessionOptions { RestoreWeights = false, CacheSvd = false })
        {
            Cancellation = cancellation,
        };
        var plan = session.Resolve(specs);   // an invalid spec fails before the prompts are tokenized
        var prepared = session.Prepared(split);
        string title = $"{task.Id}/{split.Name()}";
        var result = _console.WithProgress(board =>
        {
            var stage = board.Stage(title, "items");
            return session.Run(specs, new ActionProgress<EvaluationProgress>(p => stage.Report(p.ItemsDone, p.ItemsTotal)));
        });

        if (parse.GetValue(Out) is { } outPath)
        {
            EvaluationResultJson.WriteAtomic(outPath, result);
            _console.Log($"results written to {Path.GetFullPath(outPath)}");
        }
        if (parse.GetValue(Json)) _console.Output.WriteLine(EvaluationResultJson.Serialize(result));
        else WriteSummary(result, plan.ToString(), prepared.MajorityBaseline);
        return ExitCodes.Success;
    }

    void WriteSummary(EvaluationResult result, string pruning, double majority)
    {
        var header = new Grid().AddColumn().AddColumn();
        void Row(string key, string value) => header.AddRow(Markup.Escape(key), Markup.Escape(value));
        Row("model", $"{result.Model.Id} ({result.Device}, {result.DType})");
        Row("task", $"{result.Task.Id}, {result.Task.Split} split, {result.Shots} shots");
        Row("pruning", pruning);
        _console.Results.Write(header);

        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("seed").AddColumn(new TableColumn("n").RightAligned()).AddColumn(new TableColumn("correct").RightAligned())
            .AddColumn(new TableColumn("accuracy").RightAligned()).AddColumn(new TableColumn("95% CI (Wilson)").RightAligned());
        foreach (var s in result.PerSeed)
            table.AddRow(s.Seed.ToString(CultureInfo.InvariantCulture), s.N.ToString(CultureInfo.InvariantCulture),
                s.Correct.ToString(CultureInfo.InvariantCulture), s.Accuracy.ToString("F4", CultureInfo.InvariantCulture),
                $"[[{s.Ci95.Low.ToString("F4", CultureInfo.InvariantCulture)}, {s.Ci95.High.ToString("F4", CultureInfo.InvariantCulture)}]]");
        _console.Results.Write(table);
        string std = result.PerSeed.Count > 1 ? $" ± {result.AccuracyStd.ToString("F4", CultureInfo.InvariantCulture)} (sample std over {result.PerSeed.Count} seeds)" : "";
        _console.Results.MarkupLine($"accuracy [bold]{result.Accuracy.ToString("F4", CultureInfo.InvariantCulture)}[/]{std}");
        _console.Results.MarkupLine($"majority-class baseline {majority.ToString("F4", CultureInfo.InvariantCulture)}");
        _console.Results.MarkupLine(Markup.Escape(
            $"{result.Timing.Seconds:F1} s, {result.Timing.Tokens:N0} tokens ({result.Timing.TokensPerSecond:F0} tokens/s), " +
            $"prefix cache {(result.UsedCache ? "on" : "off")}, batch {result.BatchSize}" +
            (result.TruncatedPrompts > 0 ? $", {result.TruncatedPrompts} prompts shortened to fit the context" : "")));
    }

    static SplitRole ParseSplit(string text)
    {
        try
        {
            return SplitRoles.Parse(text);
        }
        catch (UsageException)
        {
            throw new UsageException($"--split '{text}': expected validation or test.");
        }
    }

    static int? ParseBatchSize(string text)
    {
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1) return n;
        throw new UsageException($"--batch-size '{text}': expected a positive integer or auto.");
    }

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
