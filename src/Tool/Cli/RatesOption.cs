using System.CommandLine;
using System.Globalization;
using IclPrune.Pruning;

namespace IclPrune.Tool.Cli;

/// <summary>`--rates 0,0.5,0.9`: a clipping-rate grid, the paper's by default (search, sweep, inspect --spectra).</summary>
public static class RatesOption
{
    /// <param name="use">What the command does with the rates, the start of the help text.</param>
    public static Option<string?> Create(string use) => new Option<string?>("--rates")
    {
        Description = $"{use}, comma-separated (default: the paper's grid {string.Join(",", RateGrid.Paper.Select(r => r.ToString(CultureInfo.InvariantCulture)))}).",
        HelpName = "LIST",
    }.Checked(text => RateGrid.Parse(text!));

    public static IReadOnlyList<decimal> Value(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { } list ? RateGrid.Parse(list) : RateGrid.Paper;
}
