using IclAssertions.Snapshots;
using IclAssertions.Tests.Support;

namespace IclAssertions.Tests.Snapshots;

public class SnapshotSerializerTests
{
    [Test]
    public void Serialize_Result_HoldsEverythingTheGateNeedsAndNoTiming()
    {
        var result = Evaluations.From([Evaluations.Items(10, 7, 1)], "task-fp-1", pruneSpecs: ["mlp@-1:0.9"]);
        string json = SnapshotSerializer.Serialize(SnapshotDocument.From(result));
        foreach (string field in new[] { "\"schema_version\": 2", "\"fingerprint\": \"model-fp-1\"", "\"fingerprint\": \"task-fp-1\"",
                     "\"mlp@-1:0.9\"", "\"shots\": 8", "\"device\": \"cpu\"", "\"dtype\": \"float32\"", "\"backend\": \"cpu\"",
                     "\"accuracy\": 0.7", "\"n\": 10", "\"correct\": 7", "\"items\": ",
                     "\"key\": \"test:0:000000000000\"", "\"query\": \"query 0\"", "\"tool_version\": ", "\"batch_size\": " })
            Assert.That(json, Does.Contain(field));
        Assert.That(json, Does.Not.Contain("timing").IgnoreCase);
    }

    [Test]
    public void Deserialize_OfSerialize_GivesSameText()
    {
        var document = SnapshotDocument.From(Evaluations.From(Evaluations.Items(50, 31, 4), Evaluations.Items(50, 29, 5)));
        string json = SnapshotSerializer.Serialize(document);
        Assert.That(SnapshotSerializer.Serialize(SnapshotSerializer.Deserialize(json, "x")), Is.EqualTo(json));
    }

    [Test]
    public void Deserialize_MissingRequiredField_NamesFile()
    {
        var e = Assert.Throws<IclPrune.IclPruneException>(() => SnapshotSerializer.Deserialize("{\"shots\": 3}", "A.B.verified.json"));
        Assert.That(e!.Message, Does.StartWith("A.B.verified.json: not a valid snapshot"));
    }

    [Test]
    public void Deserialize_FutureSchema_Throws()
    {
        var json = SnapshotSerializer.Serialize(SnapshotDocument.From(Evaluations.From(Evaluations.Items(4, 2))))
            .Replace("\"schema_version\": 2", "\"schema_version\": 9");
        Assert.That(Assert.Throws<IclPrune.IclPruneException>(() => SnapshotSerializer.Deserialize(json, "s.json"))!.Message,
            Does.Contain("schema_version 9 is not supported"));
    }

    [Test]
    public void Deserialize_SchemaOneFile_LoadsWithoutItemKeys()
    {
        const string v1 = """
            {"schema_version": 1, "model": {"id": "tiny", "fingerprint": "f"}, "task": {"id": "t", "split": "test", "fingerprint": "g"},
             "prune_specs": [], "shots": 8, "seeds": [0], "device": "cpu", "dtype": "fp32", "backend": "cpu", "accuracy": 0.5,
             "per_seed": [{"seed": 0, "n": 4, "correct": 2, "accuracy": 0.5, "items": "c"}]}
            """;
        var document = SnapshotSerializer.Deserialize(v1, "old.verified.json");
        Assert.That(document.Items, Is.Null);
        Assert.That(document.Scores("old").Keys, Is.EqualTo(new[] { "#0", "#1", "#2", "#3" }));
        Assert.That(document.Scores("old").Correct, Is.EqualTo(new[] { 1, 1, 0, 0 }));
    }
}
