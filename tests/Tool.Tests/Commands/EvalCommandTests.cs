using System.Text.Json;
using IclPrune.Evaluation;
using IclPrune.Runtime;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>`eval` through the real command tree on a tiny random GPT-2 with a real tokenizer and JSONL data.</summary>
[NonParallelizable]
public sealed class EvalCommandTests
{
    TinyCheckpoint _model = null!;
    string _folder = "";
    string _task = "";

    [OneTimeSetUp]
    public void SetUp()
    {
        TorchRuntime.EnsureInitialized();
        _model = Gpt2Checkpoints.WithTokenizer(new Gpt2Sizes(Vocab: 0, Hidden: 16, Heads: 2, Layers: 2, Inner: 48, Positions: 128), seed: 4,
            Gpt2ByteVocabulary.Create(["pos", "neg"]), unusedIds: 3);
        _folder = Directory.CreateTempSubdirectory("eval-cmd-").FullName;
        _task = Path.Combine(_folder, "task.yaml");
        File.WriteAllText(_task, TinySentimentTask.Yaml(shots: 2, validationPerClass: 2, splitSeed: 3));
        Directory.CreateDirectory(Path.Combine(_folder, "data"));
        string Row(int i) => $$"""{"text": "item {{i}} is {{(i % 3 == 0 ? "good" : "bad")}}", "label": {{i % 2}}}""";
        File.WriteAllLines(Path.Combine(_folder, "data", "train.jsonl"), Enumerable.Range(0, 10).Select(Row));
        File.WriteAllLines(Path.Combine(_folder, "data", "test.jsonl"), Enumerable.Range(10, 8).Select(Row));
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _model.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Eval_TwoSeeds_PrintsSummaryWritesResultsAndPlainProgress()
    {
        string output = Path.Combine(_folder, "out", "r.json");
        var run = await CliRun.InvokeAsync("eval", "--model", _model.Folder, "--task", _task, "--data", Path.Combine(_folder, "data"),
            "--seeds", "0,1", "--limit", "5", "--batch-size", "2", "--out", output);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.Contain("accuracy").And.Contain("95% CI (Wilson)").And.Contain("tiny-sentiment, test split, 2 shots"));
        // Test rows 10..14 have labels 0,1,0,1,0: the majority class is right 3 times out of 5.
        Assert.That(run.Output, Does.Contain("majority-class baseline 0.6000"));
        Assert.That(run.Output, Does.Contain("prefix cache on, batch 2"));
        Assert.That(run.Error, Does.Contain("tiny-sentiment/test: 10/10 items"), "plain progress lines when not on a terminal");
        var result = EvaluationResultJson.Read(output);
        Assert.That(result.PerSeed.Select(s => s.N), Is.EqualTo(new[] { 5, 5 }));
        Assert.That(result.BatchSize, Is.EqualTo(2));
        Assert.That(result.Model.Id, Is.EqualTo(_model.Folder));
        Assert.That(result.Model.Fingerprint, Is.Not.Empty);
    }

    [Test]
    public async Task Eval_DefaultBatchSize_SummaryNamesTheTokenBudget()
    {
        var run = await CliRun.InvokeAsync("eval", "--model", _model.Folder, "--task", _task, "--data", Path.Combine(_folder, "data"), "--limit", "5");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.Contain("batch auto (up to 64 items, 1,024 padded tokens per forward)"));
    }

    [Test]
    public async Task Eval_JsonWithPruneAndNoCache_RecordsSpecsAndSameItemsAsCached()
    {
        string[] common = ["eval", "--model", _model.Folder, "--task", _task, "--data", Path.Combine(_folder, "data"), "--json", "--prune", "mlp@1:0.5"];
        var cached = await CliRun.InvokeAsync(common);
        var uncached = await CliRun.InvokeAsync([.. common, "--no-cache"]);
        Assert.That(cached.ExitCode, Is.EqualTo(ExitCodes.Success), cached.Error);
        Assert.That(uncached.ExitCode, Is.EqualTo(ExitCodes.Success), uncached.Error);
        var a = EvaluationResultJson.Deserialize(cached.Output);
        var b = EvaluationResultJson.Deserialize(uncached.Output);
        Assert.That(a.PruneSpecs, Has.Count.EqualTo(1).And.All.Contains("mlp"));
        Assert.That(a.UsedCache, Is.True);
        Assert.That(b.UsedCache, Is.False);
        Assert.That(b.PerSeed[0].Predictions, Is.EqualTo(a.PerSeed[0].Predictions));
        Assert.That(a.PerSeed[0].N, Is.EqualTo(8));
    }

    [TestCase("--seeds", "0,x", "'x' is not an integer")]
    [TestCase("--batch-size", "0", "positive integer or auto")]
    [TestCase("--split", "train", "expected validation or test")]
    [TestCase("--column", "nope", "FIELD=COLUMN")]
    public async Task Eval_BadOption_ExitsTwoNamingIt(string option, string value, string message)
    {
        var run = await CliRun.InvokeAsync("eval", "--model", _model.Folder, "--task", _task, "--data", Path.Combine(_folder, "data"), option, value);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain(message));
    }

    [Test]
    public async Task Eval_PaperTaskWithoutData_ExitsTwoAskingForData()
    {
        var run = await CliRun.InvokeAsync("eval", "--model", _model.Folder, "--task", "sst2");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain("--data").And.Contain("glue/sst2"));
    }

    [Test]
    public async Task Eval_MissingColumn_ExitsOneNamingColumnAndOverride()
    {
        var run = await CliRun.InvokeAsync("eval", "--model", _model.Folder, "--task", _task, "--data", Path.Combine(_folder, "data"), "--column", "sentence=body");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(run.Error, Does.Contain("no column 'body'").And.Contain("text, label"));
    }
}
