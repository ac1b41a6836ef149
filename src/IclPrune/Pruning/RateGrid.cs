using System.Globalization;

namespace IclPrune.Pruning;

/// <summary>Rate grids: the paper's default and the "0,0.5,0.9" command-line form.</summary>
public static class RateGrid
{
    /// <summary>docs/method.md section 1: {0, 0.1, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995}.</summary>
    public static IReadOnlyList<decimal> Paper { get; } = [0m, 0.1m, 0.5m, 0.75m, 0.9m, 0.95m, 0.99m, 0.995m];

    public static IReadOnlyList<decimal> Parse(string text)
    {
        var rates = new List<decimal>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!decimal.TryParse(part, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal rate))
                throw new UsageException($"rate '{part}' in '{text}' is not a decimal; expected comma-separated rates in [0, 1) such as 0,0.5,0.9.");
            KeptRank.FromRate(rate);   // validates [0, 1)
            if (!rates.Contains(rate)) rates.Add(rate);
        }
        if (rates.Count == 0) throw new UsageException($"rate grid '{text}' is empty; expected e.g. 0,0.5,0.9.");
        return rates;
    }
}
