using System.CommandLine;
using IclPrune.Evaluation;

namespace IclPrune.Tool.Cli;

/// <summary>`--split validation|test`: the split a command scores (eval defaults to test, sweep to validation).</summary>
public static class SplitOption
{
    public static Option<string> Create(SplitRole defaultSplit) => new Option<string>("--split")
    {
        Description = "Split to score: validation or test.",
        DefaultValueFactory = _ => defaultSplit.Name(),
        HelpName = "validation|test",
    }.Checked(text => Parse(text));

    public static SplitRole Value(ParseResult parse, Option<string> option) => Parse(parse.GetValue(option)!);

    static SplitRole Parse(string text)
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
}
