using System.Buffers.Binary;
using System.Text.Json;
using IclPrune.Training;
using static TorchSharp.torch;

namespace IclPrune.Tests.Training;

public sealed class SafetensorsSaverTests
{
    [Test]
    public void Save_TwoTensors_HeaderAndBytesFollowTheFormat()
    {
        // Reference: the safetensors README layout, parsed here by hand (independent of any loader).
        string path = Path.Combine(Path.GetTempPath(), $"st-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
            using var b = tensor(new float[] { -0.5f });
            SafetensorsSaver.Save(path, new Dictionary<string, Tensor> { ["z.weight"] = a, ["a.bias"] = b });
            byte[] file = File.ReadAllBytes(path);
            long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
            Assert.That(headerLength % 8, Is.EqualTo(0));
            using var header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
            var z = header.RootElement.GetProperty("z.weight");
            Assert.That(z.GetProperty("dtype").GetString(), Is.EqualTo("F32"));
            Assert.That(z.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 2, 3 }));
            // Names sorted: a.bias first (4 bytes), then z.weight (24 bytes).
            Assert.That(z.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 4, 28 }));
            int data = 8 + (int)headerLength;
            Assert.That(BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(data)), Is.EqualTo(-0.5f));
            Assert.That(BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(data + 4 + 5 * 4)), Is.EqualTo(6f));
            Assert.That(file.Length, Is.EqualTo(data + 28));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
