using System.CommandLine;
using System.Globalization;
using IclPrune.Evaluation;
using IclPrune.Models;

namespace IclPrune.Tool.Cli;

/// <summary>`--batch-size N|auto` of the commands that evaluate a task; auto is the evaluator's per-device token budget.</summary>
public static class BatchSizeOption
{
    public const string Auto = "auto";

    public static Option<string> Create() => new Option<string>("--batch-size")
    {
        Description = "Queries per forward pass, or auto (up to 1,024 padded tokens per forward on CPU, 16,384 on CUDA).",
        DefaultValueFactory = _ => Auto,
        HelpName = "N|auto",
    }.Checked(text => Parse(text));

    /// <summary>The batching of a loaded model: the number of items given, or auto's item cap and token budget for its device.</summary>
    public static EvaluationOptions Apply(EvaluationOptions options, ParseResult parse, Option<string> option, ModelDescription model) =>
        Parse(parse.GetValue(option)!) is { } items
            ? options with { BatchSize = items, TokensPerBatch = null }
            : options with { BatchSize = EvaluationOptions.AutoBatchSize(model), TokensPerBatch = EvaluationOptions.AutoTokensPerBatch(model) };

    /// <summary>A positive integer, or null for auto.</summary>
    public static int? Parse(string text)
    {
        if (text.Trim().Equals(Auto, StringComparison.OrdinalIgnoreCase)) return null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1) return n;
        throw new UsageException($"--batch-size '{text}': expected a positive integer or auto.");
    }
}
