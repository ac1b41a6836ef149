using System.Globalization;

namespace IclPrune.Tool.Cli;

/// <summary>The `--seeds 0,1,2` value of every command that evaluates: one demonstration set per seed.</summary>
public static class SeedList
{
    public static IReadOnlyList<int> Parse(string text)
    {
        var seeds = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed))
                throw new UsageException($"--seeds '{text}': '{part}' is not an integer; expected e.g. 0,1,2.");
            seeds.Add(seed);
        }
        if (seeds.Count == 0) throw new UsageException($"--seeds '{text}': expected at least one seed, e.g. 0,1,2.");
        return seeds;
    }
}
