using System.Text.Json;
using System.Text.Json.Serialization;

namespace IclPrune.Search;

/// <summary>
/// JSON settings of search, sweep, spectra and demo outputs: snake_case like `eval`'s results (and lm-evaluation-harness),
/// indented, infinities allowed (a singular matrix's condition number).
/// </summary>
public static class SearchJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
