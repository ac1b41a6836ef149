using System.Text.Json;

namespace IclPrune.Models;

/// <summary>
/// Typed reads from a config.json with errors that name the file, the field and the value found. A JSON null counts
/// as absent (Hugging Face writes e.g. "n_inner": null to mean "use the default"). Several names may be given for
/// one field: the first present wins (HF's attribute_map aliases such as n_embd / hidden_size).
/// </summary>
internal sealed class ConfigJson
{
    readonly JsonElement _root;

    public ConfigJson(string path, JsonElement root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    JsonElement? Find(string[] names, out string found)
    {
        foreach (var name in names)
        {
            if (_root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                found = name;
                return value;
            }
        }
        found = names[0];
        return null;
    }

    public bool Has(params string[] names) => Find(names, out _) is not null;

    IclPruneException Missing(string[] names) =>
        new($"{Path}: required field '{string.Join("' / '", names)}' is missing.");

    IclPruneException Wrong(string name, JsonElement value, string expected) =>
        new($"{Path}: field '{name}' is {value.GetRawText()}; expected {expected}.");

    public int Int(params string[] names) => OptionalInt(names) ?? throw Missing(names);

    public int? OptionalInt(params string[] names)
    {
        if (Find(names, out string name) is not { } value)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int result))
            return result;
        // Some exporters write integral floats (e.g. 4096.0).
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue)
            return (int)d;
        throw Wrong(name, value, "an integer");
    }

    /// <summary>A strictly positive integer (sizes, counts).</summary>
    public int PositiveInt(params string[] names)
    {
        int value = Int(names);
        if (value <= 0)
            throw new IclPruneException($"{Path}: field '{names[0]}' is {value}; expected a positive integer.");
        return value;
    }

    public double Double(string name, double fallback) => OptionalDouble(name) ?? fallback;

    public double? OptionalDouble(params string[] names)
    {
        if (Find(names, out string name) is not { } value)
            return null;
        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Wrong(name, value, "a number");
    }

    public bool Bool(string name, bool fallback)
    {
        if (Find([name], out _) is not { } value)
            return fallback;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, value, "true or false"),
        };
    }

    public string? OptionalString(params string[] names)
    {
        if (Find(names, out string name) is not { } value)
            return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Wrong(name, value, "a string");
    }

    /// <summary>bos/eos ids: an integer, or a list whose first entry is used (Llama 3 lists several eos ids).</summary>
    public int? OptionalTokenId(string name)
    {
        if (Find([name], out _) is not { } value)
            return null;
        if (value.ValueKind == JsonValueKind.Array)
            return value.GetArrayLength() > 0 && value[0].TryGetInt32(out int first) ? first : null;
        return value.TryGetInt32(out int id) ? id : throw Wrong(name, value, "an integer token id");
    }

    public ConfigJson? OptionalObject(string name)
    {
        if (Find([name], out _) is not { } value)
            return null;
        return value.ValueKind == JsonValueKind.Object
            ? new ConfigJson($"{Path} ({name})", value)
            : throw Wrong(name, value, "an object");
    }

    /// <summary>Refuses a field whose value would change the model's math in a way this tool does not implement.</summary>
    public void RejectIf(string name, bool unsupported, string why)
    {
        if (unsupported)
            throw new IclPruneException($"{Path}: field '{name}' = {Find([name], out _)?.GetRawText() ?? "?"} is not supported: {why}.");
    }
}
