using System.Globalization;
using System.Text.RegularExpressions;

namespace IclPrune.Search;

/// <summary>
/// The "[i/n] KEY: accuracy A" line <see cref="Sweep.Run"/> reports for each finished cell, read back into a count
/// and a detail by progress displays (other lines, such as "resuming: ...", are news, not cells).
/// </summary>
public sealed partial record SweepProgressLine(int Done, int Total, string Detail)
{
    public static SweepProgressLine? TryParse(string line)
    {
        var match = Counter().Match(line);
        return match.Success
            ? new SweepProgressLine(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), line[match.Length..])
            : null;
    }

    [GeneratedRegex(@"^\[(\d+)/(\d+)\] ")]
    private static partial Regex Counter();
}
