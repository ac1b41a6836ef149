using IclPrune.Evaluation;
using IclPrune.Evaluation.Statistics;

namespace IclPrune.Tests.Evaluation;

public class EvaluationResultJsonTests
{
    static EvaluationResult Sample() => new()
    {
        Model = new ModelIdentity("gpt2", "abc"),
        Task = new TaskIdentity("sst2", "test", "sha256:0123456789abcdef"),
        PruneSpecs = ["mlp@11:0.9"],
        Shots = 10,
        Seeds = [0, 1],
        Device = "cpu",
        DType = "fp32",
        Backend = "cpu",
        Accuracy = 0.625,
        AccuracyStd = 0.1767766952966369,
        PerSeed =
        [
            SeedAggregate.Seed(0, [true, false, true, true]) with { Predictions = [0, 0, 1, 1] },
            SeedAggregate.Seed(1, [true, false, false, true]) with { Predictions = [0, 0, 0, 1] },
        ],
        Timing = new Timing(1.5, 300, 200),
        TruncatedPrompts = 2,
        Items = ["train:3", "train:9", "train:12", "train:40"],
        BatchSize = 8,
    };

    [Test]
    public void Serialize_Roundtrip_KeepsEveryField()
    {
        var original = Sample();
        string json = EvaluationResultJson.Serialize(original);
        var back = EvaluationResultJson.Deserialize(json);
        Assert.That(back.PerSeed[0].ItemCorrect, Is.EqualTo(original.PerSeed[0].ItemCorrect));
        Assert.That(back.PerSeed[1].Predictions, Is.EqualTo(original.PerSeed[1].Predictions));
        Assert.That(back.PerSeed[0].Ci95, Is.EqualTo(original.PerSeed[0].Ci95));
        Assert.That(back.Items, Is.EqualTo(original.Items));
        Assert.That(back with { PerSeed = original.PerSeed, Items = original.Items, Seeds = original.Seeds, PruneSpecs = original.PruneSpecs },
            Is.EqualTo(original));
    }

    [Test]
    public void Serialize_UsesDocumentedKeys()
    {
        string json = EvaluationResultJson.Serialize(Sample());
        foreach (string key in new[] { "\"schema_version\": 1", "\"accuracy_std\"", "\"per_seed\"", "\"ci95\"", "\"item_correct\": \"1011\"",
                     "\"tokens_per_second\"", "\"truncated_prompts\": 2", "\"dtype\": \"fp32\"", "\"prune_specs\"" })
            Assert.That(json, Does.Contain(key));
    }

    [Test]
    public void Deserialize_NewerSchema_IsRefused()
    {
        string json = EvaluationResultJson.Serialize(Sample()).Replace("\"schema_version\": 1", "\"schema_version\": 99");
        var e = Assert.Throws<IclPruneException>(() => EvaluationResultJson.Deserialize(json, "r.json"))!;
        Assert.That(e.Message, Does.Contain("r.json").And.Contain("99"));
    }

    [Test]
    public void WriteAtomic_WritesTheFileAndLeavesNoTemporary()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "sub", "r.json");
        EvaluationResultJson.WriteAtomic(path, Sample());
        Assert.That(EvaluationResultJson.Read(path).Accuracy, Is.EqualTo(0.625));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Has.Length.EqualTo(1));
    }
}
