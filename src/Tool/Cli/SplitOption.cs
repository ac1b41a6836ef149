using System.CommandLine;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Tool.Cli;

/// <summary>`--split validation|test`: the split a command scores (eval defaults to test, sweep to validation).</summary>
public static class SplitOption
{
    public static Option<string> Create(string defaultSplit) => new Option<string>("--split")
    {
        Description = "Split to score: validation or test.",
        DefaultValueFactory = _ => defaultSplit,
        HelpName = "validation|test",
    }.Checked(text => Parse(text));

    /// <summary>The split, trimmed and lower-cased ("validation" or "test").</summary>
    public static string Value(ParseResult parse, Option<string> option) => Parse(parse.GetValue(option)!);

    static string Parse(string text)
    {
        string split = text.Trim().ToLowerInvariant();
        return SplitPlan.ScoredSplits.Contains(split) ? split : throw new UsageException($"--split '{text}': expected validation or test.");
    }
}
