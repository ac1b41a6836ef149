using System.Text.Json;

namespace IclPrune.Tokenization;

/// <summary>
/// A JSON value with its path in the file ("model.merges[3]"), read with type checks that throw a
/// <see cref="TokenizerFormatException"/> naming the field, what it holds and what was expected.
/// </summary>
internal readonly struct JsonField(JsonElement value, string path)
{
    public JsonElement Value => value;
    public string Path => path;
    public bool IsNull => value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    string Child(string name) => path.Length == 0 ? name : $"{path}.{name}";

    public JsonField Object() =>
        value.ValueKind == JsonValueKind.Object ? this : throw Expected("a JSON object");

    /// <summary>The named member, or null when it is absent or JSON null.</summary>
    public JsonField? Optional(string name) =>
        Object().Value.TryGetProperty(name, out var member) && member.ValueKind != JsonValueKind.Null
            ? new JsonField(member, Child(name))
            : null;

    public JsonField Required(string name) =>
        Optional(name) ?? throw new TokenizerFormatException($"{Child(name)} is missing; it is required.");

    public string String() =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Expected("a string");

    public bool Bool() =>
        value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Expected("true or false");

    public int Id() =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int id) && id >= 0
            ? id
            : throw Expected("a token id (an integer from 0 to 2147483647)");

    public bool OptionalBool(string name, bool fallback) => Optional(name)?.Bool() ?? fallback;

    public IEnumerable<JsonField> Array()
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw Expected("a JSON array");
        int i = 0;
        foreach (var item in value.EnumerateArray())
            yield return new JsonField(item, $"{path}[{i++}]");
    }

    public IEnumerable<(string Name, JsonField Value)> Members()
    {
        var self = Object();
        return self.Value.EnumerateObject().Select(p => (p.Name, new JsonField(p.Value, self.Child(p.Name))));
    }

    /// <summary>Rejects members this implementation does not honour: a silently ignored option changes token ids.</summary>
    public void OnlyMembers(params string[] supported)
    {
        foreach (var member in Object().Value.EnumerateObject())
            if (!supported.Contains(member.Name))
                throw new TokenizerFormatException(
                    $"{Child(member.Name)} is not supported (supported here: {string.Join(", ", supported)}); see docs/models.md.");
    }

    /// <summary>Requires a member to be absent, null or one of the given harmless values.</summary>
    public void Unsupported(string name, string why, params JsonValueKind[] harmless)
    {
        if (Optional(name) is { } member && !harmless.Contains(member.Value.ValueKind))
            throw new TokenizerFormatException($"{member.Path} = {member.Value.GetRawText()} is not supported: {why}.");
    }

    public TokenizerFormatException Expected(string what) =>
        new($"{(path.Length == 0 ? "the top level" : path)} is {Describe(value)}; expected {what}.");

    static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {Truncate(value.GetRawText())}",
        JsonValueKind.Number => $"the number {Truncate(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };

    static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
