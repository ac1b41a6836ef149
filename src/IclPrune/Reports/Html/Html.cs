using System.Globalization;
using System.Net;

namespace IclPrune.Reports.Html;

/// <summary>Escaping and number formats shared by the report's sections (invariant culture everywhere).</summary>
internal static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
    public static string F(double x, string format = "F4") => x.ToString(format, CultureInfo.InvariantCulture);
    public static string P(double p) => p.ToString("G3", CultureInfo.InvariantCulture);
    public static string I(long x) => x.ToString(CultureInfo.InvariantCulture);
    public static string D(decimal x) => x.ToString(CultureInfo.InvariantCulture);
    public static string Signed(double x) => (x >= 0 ? "+" : "") + F(x);
    public static string Ci(Evaluation.Interval ci) => $"[{F(ci.Low)}, {F(ci.High)}]";
}
