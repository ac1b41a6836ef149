using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace IclPrune.Training;

/// <summary>
/// Writes float32 tensors as a .safetensors file (format: 8-byte little-endian header length, JSON header of
/// {name: {dtype, shape, data_offsets}}, then the raw little-endian data; huggingface/safetensors README).
/// Only what train-tiny needs: float32, CPU, names sorted so the file is byte-identical for the same weights.
/// </summary>
internal static class SafetensorsSaver
{
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var name in tensors.Keys.Order(StringComparer.Ordinal))
        {
            var t = tensors[name];
            if (t.dtype != ScalarType.Float32) throw new IclPruneException($"tensor {name} is {t.dtype}; only float32 is written.");
            float[] values = t.detach().cpu().contiguous().data<float>().ToArray();
            var bytes = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray([.. t.shape.Select(d => (JsonNode)d)]),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8; // the format allows trailing spaces; 8-byte alignment of the data
        var headerBytes = new byte[padded];
        Array.Fill(headerBytes, (byte)' ');
        json.CopyTo(headerBytes, 0);
        using var stream = File.Create(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)padded);
        stream.Write(lengthBytes);
        stream.Write(headerBytes);
        foreach (var blob in blobs) stream.Write(blob);
    }
}
