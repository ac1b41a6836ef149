using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace IclPrune.Checkpoints;

/// <summary>One tensor's header entry: dtype, shape and byte range relative to the start of the data section.</summary>
public sealed record SafetensorsEntry(string Name, string DTypeName, ScalarType DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
}

/// <summary>
/// The parsed and validated header of one .safetensors file. Layout: 8-byte little-endian header length N, N bytes of
/// JSON ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}), then the data section.
/// The file is a trust boundary: everything is checked here, before any byte reaches native code.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>Headers above this are refused (the reference implementation's limit too): a corrupt length must
    /// not make us allocate gigabytes.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Entries above this are refused: each costs a dictionary entry and a record, and a 100 MB header of tiny
    /// entries would otherwise cost gigabytes before any check fails.</summary>
    public const int MaxTensors = 1_000_000;

    SafetensorsHeader(string path, long dataStart, IReadOnlyDictionary<string, SafetensorsEntry> entries,
        IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        DataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }

    /// <summary>Absolute file offset of the data section (8 + header length).</summary>
    public long DataStart { get; }

    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafetensorsHeader Read(string path)
    {
        if (!File.Exists(path))
            throw new IclPruneException($"safetensors file {path} does not exist.");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new IclPruneException($"{path}: file is {fileLength} bytes, shorter than the 8-byte safetensors header length.");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BitConverter.ToUInt64(lengthBytes);
        if (headerLength > MaxHeaderBytes)
            throw new IclPruneException($"{path}: header length {headerLength} bytes is above the {MaxHeaderBytes}-byte limit (corrupt or not a safetensors file).");
        if ((long)headerLength > fileLength - 8)
            throw new IclPruneException($"{path}: header length {headerLength} bytes runs past the end of the {fileLength}-byte file.");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        long dataStart = 8 + (long)headerLength;
        var (entries, metadata) = Parse(path, json, fileLength - dataStart);
        return new SafetensorsHeader(path, dataStart, entries, metadata);
    }

    static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) Parse(string path, byte[] json, long dataLength)
    {
        // System.Text.Json reads invalid UTF-8 inside a string and fails only when the string is fetched; the
        // reference implementation requires the whole header to be UTF-8, so check it once, up front.
        if (!System.Text.Unicode.Utf8.IsValid(json))
            throw new IclPruneException($"{path}: header is not valid UTF-8 (tensor names and metadata must be UTF-8 text).");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new IclPruneException($"{path}: header is not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new IclPruneException($"{path}: header must be a JSON object, found {document.RootElement.ValueKind}.");
            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (entries.Count >= MaxTensors)
                    throw new IclPruneException($"{path}: header lists more than {MaxTensors} tensors (the largest public checkpoints have a few thousand).");
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw new IclPruneException($"{path}: __metadata__ must be an object of strings.");
                    // The reference reads a map of strings to strings and rejects anything else.
                    foreach (var m in property.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String
                            ? m.Value.GetString()!
                            : throw new IclPruneException($"{path}: __metadata__ field '{m.Name}' is {m.Value.GetRawText()}; expected a string.");
                    continue;
                }
                // JSON allows repeated keys; a repeated tensor name would silently shadow the first one.
                if (entries.ContainsKey(property.Name))
                    throw new IclPruneException($"{path}: tensor '{property.Name}' appears twice in the header.");
                entries[property.Name] = ParseEntry(path, property.Name, property.Value, dataLength);
            }
            CheckCoversData(path, entries.Values, dataLength);
            return (entries, metadata);
        }
    }

    static SafetensorsEntry ParseEntry(string path, string name, JsonElement value, long dataLength)
    {
        string Where() => $"{path}: tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw new IclPruneException($"{Where()} must be an object with dtype, shape and data_offsets.");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new IclPruneException($"{Where()} has no string field 'dtype'.");
        string dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsDType.TryParse(dtypeName, out var dtype, out int elementSize))
            throw new IclPruneException($"{Where()} has unknown dtype '{dtypeName}'; supported: {string.Join(", ", SafetensorsDType.Supported)}.");

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new IclPruneException($"{Where()} has no array field 'shape'.");
        var shape = new List<long>();
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long dim) || dim < 0)
                throw new IclPruneException($"{Where()} has shape entry {d.GetRawText()}; expected a non-negative integer.");
            shape.Add(dim);
        }

        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new IclPruneException($"{Where()} has no field 'data_offsets' of two integers.");
        if (!IsInteger(offsets[0], out long begin) || !IsInteger(offsets[1], out long end))
            throw new IclPruneException($"{Where()} has data_offsets {offsets.GetRawText()}; expected two integers.");
        if (begin < 0 || end < begin || end > dataLength)
            throw new IclPruneException($"{Where()} has data_offsets [{begin}, {end}] outside the {dataLength}-byte data section.");

        long expected = elementSize;
        foreach (long dim in shape)
        {
            // Checked: a hostile shape like [2^40, 2^40] must not wrap around to a plausible size.
            try { expected = checked(expected * dim); }
            catch (OverflowException) { throw new IclPruneException($"{Where()} has shape [{string.Join(", ", shape)}] whose byte size overflows."); }
        }
        if (end - begin != expected)
            throw new IclPruneException($"{Where()} spans {end - begin} bytes but dtype {dtypeName} x shape [{string.Join(", ", shape)}] needs {expected}.");
        return new SafetensorsEntry(name, dtypeName, dtype, shape.ToArray(), begin, end);
    }

    static bool IsInteger(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }

    /// <summary>
    /// The tensors must tile the data section exactly: sorted by offset, each starts where the previous ended, the
    /// first at 0 and the last at the end of the file, as the reference implementation requires (safetensors
    /// `Metadata::validate`: InvalidOffset, MetadataIncompleteBuffer). A gap or overlap means a corrupt header; a header
    /// length cut by a few bytes shifts every tensor and shows here as a data section that is longer than the tensors.
    /// </summary>
    static void CheckCoversData(string path, IEnumerable<SafetensorsEntry> entries, long dataLength)
    {
        long cursor = 0;
        SafetensorsEntry? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != cursor)
                throw new IclPruneException(entry.Begin < cursor
                    ? $"{path}: tensor '{entry.Name}' [{entry.Begin}, {entry.End}] overlaps tensor '{previous!.Name}' [{previous.Begin}, {previous.End}]."
                    : $"{path}: tensor '{entry.Name}' starts at byte {entry.Begin} of the data section, but the tensors before it end at {cursor}; " +
                      "the data_offsets must tile the data section without gaps.");
            cursor = entry.End;
            previous = entry;
        }
        if (cursor != dataLength)
            throw new IclPruneException(
                $"{path}: the tensors' data_offsets cover {cursor} bytes but the data section after the header is {dataLength} bytes; " +
                "the header length or the offsets are wrong (a truncated or corrupt file).");
    }

    /// <summary>Serializes a header for the writer: entries in the given order, padded with spaces to 8 bytes
    /// so that the data section starts aligned (as the reference writer does).</summary>
    internal static byte[] Serialize(IEnumerable<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata)
                    writer.WriteString(k, v);
                writer.WriteEndObject();
            }
            foreach (var e in entries)
            {
                writer.WriteStartObject(e.Name);
                writer.WriteString("dtype", e.DTypeName);
                writer.WriteStartArray("shape");
                foreach (long d in e.Shape)
                    writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(e.Begin);
                writer.WriteNumberValue(e.End);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        var bytes = buffer.ToArray().ToList();
        while (bytes.Count % 8 != 0)
            bytes.Add((byte)' ');
        return bytes.ToArray();
    }
}
