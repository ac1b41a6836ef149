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

    /// <summary>A strictly positive integer when present (n_inner, sliding_window): 0 or a negative size is a corrupt
    /// config, never "use the default" (HF writes null for that).</summary>
    public int? OptionalPositiveInt(params string[] names)
    {
        if (OptionalInt(names) is not { } value)
            return null;
        Find(names, out string name);
        return value > 0 ? value : throw new IclPruneException($"{Path}: field '{name}' is {value}; expected a positive integer.");
    }

    /// <summary><paramref name="factor"/> x <paramref name="size"/> for a default derived from another field (GPT-2's
    /// n_inner = 4 x n_embd), refusing a product that does not fit a tensor dimension.</summary>
    public int Multiple(int size, int factor, string sizeField, string derivedField)
    {
        long product = (long)size * factor;
        return product <= int.MaxValue ? (int)product
            : throw new IclPruneException($"{Path}: field '{sizeField}' is {size}, so the default {derivedField} ({factor} x {size}) overflows a 32-bit size.");
    }

    public double Double(string name, double fallback) => OptionalDouble(name) ?? fallback;

    /// <summary>A finite number above zero (epsilons, rope theta): zero or a negative value makes the math NaN.</summary>
    public double PositiveDouble(string name, double fallback)
    {
        double value = Double(name, fallback);
        return value > 0 ? value : throw new IclPruneException($"{Path}: field '{name}' is {value}; expected a positive number.");
    }

    public double? OptionalDouble(params string[] names)
    {
        if (Find(names, out string name) is not { } value)
            return null;
        // TryGetDouble is false for a literal that overflows a double (1e400): not a usable number either.
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d) && double.IsFinite(d)
            ? d
            : throw Wrong(name, value, "a finite number");
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
        {
            foreach (var entry in value.EnumerateArray())
                if (!IsTokenId(entry))
                    throw Wrong(name, value, "a list of non-negative integer token ids");
            return value.GetArrayLength() > 0 ? value[0].GetInt32() : null;
        }
        return IsTokenId(value) ? value.GetInt32() : throw Wrong(name, value, "a non-negative integer token id");
    }

    static bool IsTokenId(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int id) && id >= 0;

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
