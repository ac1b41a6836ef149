using System.CommandLine;
using System.Globalization;
using IclPrune.Evaluation;
using IclPrune.Models;

namespace IclPrune.Tool.Cli;

/// <summary>`--batch-size N|auto` of every command that scores queries; auto is the evaluator's per-device default.</summary>
public static class BatchSizeOption
{
    public const string Auto = "auto";

    public static Option<string> Create() => new Option<string>("--batch-size")
    {
        Description = "Queries per forward pass, or auto (8 on CPU, 32 on CUDA).",
        DefaultValueFactory = _ => Auto,
        HelpName = "N|auto",
    }.Checked(text => Parse(text));

    /// <summary>The batch size for a loaded model: the number given, or the auto size for the model's device.</summary>
    public static int Resolve(ParseResult parse, Option<string> option, ModelDescription model) =>
        Parse(parse.GetValue(option)!) ?? EvaluationOptions.AutoBatchSize(model);

    /// <summary>A positive integer, or null for auto.</summary>
    public static int? Parse(string text)
    {
        if (text.Trim().Equals(Auto, StringComparison.OrdinalIgnoreCase)) return null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1) return n;
        throw new UsageException($"--batch-size '{text}': expected a positive integer or auto.");
    }
}
