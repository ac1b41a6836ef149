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
        foreach (string field in new[] { "\"schema_version\": 1", "\"fingerprint\": \"model-fp-1\"", "\"fingerprint\": \"task-fp-1\"",
                     "\"mlp@-1:0.9\"", "\"shots\": 8", "\"device\": \"cpu\"", "\"dtype\": \"float32\"", "\"backend\": \"cpu\"",
                     "\"accuracy\": 0.7", "\"n\": 10", "\"correct\": 7", "\"items\": " })
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
            .Replace("\"schema_version\": 1", "\"schema_version\": 9");
        Assert.That(Assert.Throws<IclPrune.IclPruneException>(() => SnapshotSerializer.Deserialize(json, "s.json"))!.Message,
            Does.Contain("schema_version 9 is not supported"));
    }
}
