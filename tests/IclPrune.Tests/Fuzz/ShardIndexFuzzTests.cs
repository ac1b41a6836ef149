using System.Text;
using IclPrune.Checkpoints;
using IclPrune.Tests.Evaluation;

namespace IclPrune.Tests.Fuzz;

/// <summary>Malformed model.safetensors.index.json files of a sharded checkpoint, opened through the real reader.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ShardIndexFuzzTests
{
    static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, byte[] index) => new TestCaseData(index).SetName($"Open_Index{name}_Rejected");
        byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        foreach (var (name, text) in new[]
                 {
                     ("NotJson", "{\"weight_map\":"), ("Array", "[]"), ("NoWeightMap", "{}"), ("WeightMapArray", "{\"weight_map\": []}"),
                     ("ShardNumber", "{\"weight_map\": {\"a\": 1}}"), ("ShardNull", "{\"weight_map\": {\"a\": null}}"),
                     ("ShardParentPath", "{\"weight_map\": {\"a\": \"../model.safetensors\"}}"), ("ShardAbsolutePath", "{\"weight_map\": {\"a\": \"/etc/passwd\"}}"),
                     ("ShardEmptyName", "{\"weight_map\": {\"a\": \"\"}}"), ("ShardMissing", "{\"weight_map\": {\"a\": \"model-00009-of-00009.safetensors\"}}"),
                     ("ShardDot", "{\"weight_map\": {\"a\": \".\"}}"), ("Empty", ""),
                 })
            yield return Case(name, Utf8(text));
        yield return Case("KeyNotUtf8", [.. Utf8("{\"weight_map\": {\"a"), 0xff, 0xfe, .. Utf8("\": \"x.safetensors\"}}")]);
    }

    [TestCaseSource(nameof(Cases))]
    public void Open_MalformedIndex_Rejected(byte[] index)
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(Path.Combine(folder.Path, SafetensorsCheckpoint.IndexFileName), index);
        FuzzOutcome.ExpectRejected(() => CheckpointReader.Open(folder.Path), mustName: folder.Path);
    }
}
