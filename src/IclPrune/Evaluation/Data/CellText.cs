using System.Globalization;

namespace IclPrune.Evaluation.Data;

/// <summary>
/// How a typed cell (Parquet, JSON) becomes text: label values must compare equal whether a file stores 1, 1L or 1.0,
/// so integral numbers print without a decimal point.
/// </summary>
internal static class CellText
{
    public static string? Of(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        double d => Number(d),
        float f => Number(f),
        decimal m => m == decimal.Truncate(m) ? decimal.Truncate(m).ToString(CultureInfo.InvariantCulture) : m.ToString(CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static string Number(double d) =>
        double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 1e15
            ? ((long)d).ToString(CultureInfo.InvariantCulture)
            : d.ToString("R", CultureInfo.InvariantCulture);
}
