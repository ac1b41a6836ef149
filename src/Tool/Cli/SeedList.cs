using System.CommandLine;
using System.Globalization;

namespace IclPrune.Tool.Cli;

/// <summary>The `--seeds 0,1,2` option of every command that evaluates: one demonstration set per seed.</summary>
public static class SeedList
{
    public static Option<string> Option(IReadOnlyList<int> defaults) => new Option<string>("--seeds")
    {
        Description = "Demonstration seeds, comma-separated: one independent demonstration set per seed.",
        DefaultValueFactory = _ => string.Join(",", defaults),
        HelpName = "LIST",
    }.Checked(text => Parse(text));

    public static IReadOnlyList<int> Parse(string text)
    {
        var seeds = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed))
                throw new UsageException($"--seeds '{text}': '{part}' is not an integer; expected e.g. 0,1,2.");
            if (seeds.Contains(seed)) throw new UsageException($"--seeds '{text}' repeats seed {seed}; each seed is one demonstration set.");
            seeds.Add(seed);
        }
        if (seeds.Count == 0) throw new UsageException($"--seeds '{text}': expected at least one seed, e.g. 0,1,2.");
        return seeds;
    }
}
