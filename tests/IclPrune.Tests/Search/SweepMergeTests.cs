using IclPrune.Evaluation;
using System.Text.Json.Nodes;
using IclPrune.Reports;
using IclPrune.Search;

namespace IclPrune.Tests.Search;

public sealed class SweepMergeTests
{
    static readonly SweepGrid Grid = new([0, 1, 2], ["mlp", "fc_in"], [0m, 0.5m, 0.9m]);
    string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("icl-merge-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    static string ResultsJson(SweepResult result, string folder)
    {
        SweepReport.Write(SweepSummary.Of(result), folder);
        return File.ReadAllText(Path.Combine(folder, "results.json"));
    }

    string RunShards(TinyResidualClassifier model, int count, params int[] shards)
    {
        string sharded = Path.Combine(_folder, "sharded");
        foreach (int k in shards)
            Sweep.RunShard(Grid, SplitRole.Validation, model.Evaluate, sharded, "cfg", new SweepShard(k, count), TinyResidualClassifier.Layers);
        return sharded;
    }

    [TestCase(3)]
    [TestCase(7)]   // more shards than layers: layers are split
    public void Merge_AllShardsDone_EqualsUnshardedCellForCell(int count)
    {
        using var model = new TinyResidualClassifier();
        string reference = ResultsJson(Sweep.Run(Grid, SplitRole.Validation, model.Evaluate, Path.Combine(_folder, "whole"), "cfg"), Path.Combine(_folder, "whole"));
        int unsharded = model.Evaluations;

        string sharded = RunShards(model, count, Enumerable.Range(1, count).ToArray());
        var outcome = SweepMerge.Merge(sharded);

        Assert.That(outcome.Missing, Is.Empty);
        Assert.That(ResultsJson(outcome.Result!, sharded), Is.EqualTo(reference));
        Assert.That(model.Evaluations - unsharded, Is.EqualTo(unsharded), "the unpruned model is scored once, by one shard");
    }

    [Test]
    public void Merge_ShardMissing_ListsItsCellsWithOwner()
    {
        using var model = new TinyResidualClassifier();
        string sharded = RunShards(model, 3, 1, 3);
        var assignment = ShardAssignment.Of(Grid, TinyResidualClassifier.Layers, 3);

        var outcome = SweepMerge.Merge(sharded);

        Assert.That(outcome.Result, Is.Null);
        Assert.That(outcome.Missing.Select(m => m.Key), Is.EqualTo(assignment.KeysOf(2)));
        Assert.That(outcome.Missing.Select(m => m.ToString()), Has.All.EndWith("(shard 2/3)"));
    }

    [Test]
    public void Merge_IdenticalDuplicateCells_Accepted()
    {
        using var model = new TinyResidualClassifier();
        string sharded = RunShards(model, 2, 1, 2);
        // The same sweep also run as 3 shards into the same folder: every cell is there twice, identical.
        RunShards(model, 3, 1, 2, 3);
        var outcome = SweepMerge.Merge(sharded);
        Assert.That(outcome.Missing, Is.Empty);
        Assert.That(outcome.Journals, Is.EqualTo(5));
    }

    [Test]
    public void Merge_ConflictingCells_RefusedNamingCellAndBothJournals()
    {
        using var model = new TinyResidualClassifier();
        string sharded = RunShards(model, 2, 1, 2);
        // A rerun elsewhere (other hardware, say) got a different outcome for one of the cells of shard 2/2.
        string other = Path.Combine(sharded, "shards", "2-of-2.jsonl");
        string copy = Path.Combine(sharded, "shards", "1-of-1.jsonl");
        var lines = File.ReadAllLines(other);
        var cell = JsonNode.Parse(lines[1])!;
        cell["result"]!["accuracy"] = 0.123;
        File.WriteAllLines(copy, [lines[0].Replace("\"count\":2", "\"count\":1"), cell.ToJsonString()]);

        var e = Assert.Throws<IclPruneException>(() => SweepMerge.Merge(sharded));
        Assert.That(e!.Message, Does.Contain(cell["key"]!.GetValue<string>()).And.Contain("0.1230")
            .And.Contain(Path.Combine("shards", "1-of-1.jsonl")).And.Contain(Path.Combine("shards", "2-of-2.jsonl")));
    }

    [Test]
    public void Merge_DifferentConfigurations_Refused()
    {
        using var model = new TinyResidualClassifier();
        string sharded = RunShards(model, 2, 1);
        Sweep.RunShard(Grid, SplitRole.Validation, model.Evaluate, sharded, "other-model", new SweepShard(2, 2), TinyResidualClassifier.Layers);
        var e = Assert.Throws<IclPruneException>(() => SweepMerge.Merge(sharded));
        Assert.That(e!.Message, Does.Contain("different configurations").And.Contain("1-of-2.jsonl").And.Contain("2-of-2.jsonl"));
    }

    [Test]
    public void Merge_HeaderWithoutShardRecord_ErrorNamesFileAndField()
    {
        using var model = new TinyResidualClassifier();
        string sharded = RunShards(model, 2, 1);
        string journal = Path.Combine(sharded, "shards", "1-of-2.jsonl");
        var lines = File.ReadAllLines(journal);
        var header = JsonNode.Parse(lines[0])!.AsObject();
        header.Remove("shard");
        File.WriteAllLines(journal, [header.ToJsonString(), .. lines.Skip(1)]);

        var e = Assert.Throws<IclPruneException>(() => SweepMerge.Merge(sharded));
        Assert.That(e!.Message, Does.Contain(Path.Combine("shards", "1-of-2.jsonl")).And.Contain("shard record"));
    }

    [Test]
    public void Merge_NoShardJournals_ErrorSaysWhatWasExpected()
    {
        var e = Assert.Throws<IclPruneException>(() => SweepMerge.Merge(_folder));
        Assert.That(e!.Message, Does.Contain("K-of-N.jsonl"));
    }

    [Test]
    public void RunShard_Rerun_ResumesOwnCellsOnly()
    {
        using var model = new TinyResidualClassifier();
        string sharded = RunShards(model, 3, 2);
        int before = model.Evaluations;
        RunShards(model, 3, 2);
        Assert.That(model.Evaluations, Is.EqualTo(before));
        Assert.That(Directory.GetFiles(Path.Combine(sharded, "shards")).Select(Path.GetFileName), Is.EqualTo(new[] { "2-of-3.jsonl" }),
            "a shard writes only its own journal, and its lock is gone once it finished");
    }
}
