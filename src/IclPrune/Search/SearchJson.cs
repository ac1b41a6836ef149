using System.Text.Json;
using System.Text.Json.Serialization;

namespace IclPrune.Search;

/// <summary>JSON settings of search and sweep outputs: camelCase, indented, infinities allowed (a singular matrix's condition number).</summary>
public static class SearchJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
