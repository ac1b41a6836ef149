using System.Diagnostics;
using System.Text.Json;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Tasks;
using IclPrune.Models;
using IclPrune.Search;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>`search` and `sweep` end to end: tiny GPT-2 with a real tokenizer, a task file and data, the real evaluator.</summary>
[NonParallelizable]
public sealed class SearchSweepCommandsTests
{
    TinyCheckpoint _model = null!;
    string _work = "";
    string _task = "";

    [OneTimeSetUp]
    public void Create()
    {
        // Weight seed 2: the first of seeds 1-10 whose pruned cells change some items' correctness (seed 1: none).
        _model = Gpt2Checkpoints.ForCommands(seed: 2);
        _work = Directory.CreateTempSubdirectory("icl-search-").FullName;
        _task = TinySentimentTask.Write(_work);
    }

    [OneTimeTearDown]
    public void Delete()
    {
        if (Environment.GetEnvironmentVariable("ICL_KEEP_TEST_OUTPUT") is not null)
        {
            TestContext.Out.WriteLine($"kept {_model.Folder} and {_work}");
            return;
        }
        _model.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    string[] Common(params string[] more) => ["--model", _model.Folder, "--task", _task, "--data", _work, "--seeds", "0,1", .. more];

    [Test]
    public async Task Search_Json_ChoiceFollowsCurveAndTestMatchesIndependentEvaluation()
    {
        var run = await CliRun.InvokeAsync(["search", .. Common("--module", "mlp", "--top-k", "2", "--rates", "0,0.5,0.9,0.95", "--json")]);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        var result = JsonSerializer.Deserialize<SearchResult>(run.Output, SearchJson.Options)!;

        var top = result.Conditions.OrderByDescending(c => c.ConditionNumber).ThenByDescending(c => c.Layer).Take(2).Select(c => c.Layer).ToList();
        Assert.That(result.ChosenLayer, Is.EqualTo(top.Max()));
        Assert.That(result.ValidationCurve.Select(p => p.Rate), Is.EqualTo(new[] { 0m, 0.5m, 0.9m, 0.95m }));
        // xi* = the first rate whose validation score beats every score before it and is never beaten later.
        int best = result.ValidationCurve[0].Correct;
        decimal expected = 0m;
        foreach (var p in result.ValidationCurve.Skip(1))
            if (p.Correct > best) (best, expected) = (p.Correct, p.Rate);
        Assert.That(result.BestRate, Is.EqualTo(expected));
        Assert.That(result.Test.PerSeed.Select(s => s.Seed), Is.EqualTo(new[] { 0, 1 }));

        // Independent check of the pruned test accuracy: export the chosen model, reload it, evaluate it directly.
        string spec = result.BestSpec ?? $"mlp@{result.ChosenLayer}:0";
        string exported = Path.Combine(_work, "exported");
        var export = await CliRun.InvokeAsync("export", "--model", _model.Folder, "--prune", spec, "--out", exported);
        Assert.That(export.ExitCode, Is.EqualTo(ExitCodes.Success), export.Error);
        File.Copy(Path.Combine(_model.Folder, "vocab.json"), Path.Combine(exported, "vocab.json"), true);
        File.Copy(Path.Combine(_model.Folder, "merges.txt"), Path.Combine(exported, "merges.txt"), true);
        using var loaded = ModelLoader.Load(exported);
        var data = TaskDataset.Load(TaskCatalog.Get(_task), DataSourceSpec.FromFolder(_work));
        using var session = new EvaluationSession(loaded.Model, loaded.Tokenizer, new ModelIdentity("x", "x"), data,
            new EvaluationOptions { Split = SplitRole.Test, Seeds = [0, 1] });
        var direct = session.Run([]);
        Assert.That(result.Test.PrunedAccuracy, Is.EqualTo(direct.Accuracy));
        for (int i = 0; i < 2; i++)
            Assert.That(result.Test.PerSeed[i].PrunedAccuracy, Is.EqualTo(direct.PerSeed[i].Accuracy));
    }

    [Test]
    public async Task Search_Table_ShowsCurveAndMcNemar()
    {
        var run = await CliRun.InvokeAsync(["search", .. Common("--module", "attn", "--rates", "0,0.5")]);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.Contain("chosen layer").And.Contain("McNemar p").And.Contain("xi* ="));
    }

    [TestCase("--module", "ffn", "attn, mlp")]
    [TestCase("--top-k", "9", "1..3")]
    [TestCase("--cond-reduce", "median", "max or mean")]
    public async Task Search_InvalidOption_ExitsTwo(string option, string value, string expected)
    {
        string[] args = option == "--module" ? ["search", .. Common(option, value)] : ["search", .. Common("--module", "mlp", option, value)];
        var run = await CliRun.InvokeAsync(args);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.Error);
        Assert.That(run.Error, Does.Contain(expected));
    }

    [Test]
    public async Task Sweep_RerunResumesAndWritesSameResults()
    {
        string out1 = Path.Combine(_work, "sweep1");
        string[] args = ["sweep", .. Common("--layers", "0,-1", "--target", "mlp", "--target", "q,v", "--rates", "0,0.5,0.9", "--out", out1)];
        var first = await CliRun.InvokeAsync(args);
        Assert.That(first.ExitCode, Is.EqualTo(ExitCodes.Success), first.Error);
        string results = File.ReadAllText(Path.Combine(out1, "results.json"));
        Assert.That(first.Error, Does.Match(@"cost per cell [\d.]+ s over \d+ cells = [\d.]+ x the first \(full\) evaluation"));
        foreach (string file in new[] { "results.csv", "results.md", "heatmap-mlp.png", "heatmap-q+v.png" })
            Assert.That(File.Exists(Path.Combine(out1, file)), Is.True, file);

        var second = await CliRun.InvokeAsync(args);
        Assert.That(second.ExitCode, Is.EqualTo(ExitCodes.Success), second.Error);
        Assert.That(second.Error, Does.Contain("resuming: 13 finished cells"));
        Assert.That(second.Error, Does.Not.Contain("cost per cell"), "nothing was computed in the resumed process");
        Assert.That(File.ReadAllText(Path.Combine(out1, "results.json")), Is.EqualTo(results));

        var changed = await CliRun.InvokeAsync(["sweep", .. Common("--layers", "0,-1", "--target", "mlp", "--rates", "0,0.5", "--out", out1)]);
        Assert.That(changed.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(changed.Error, Does.Contain("different configuration"));
    }

    [Test]
    public async Task Sweep_WithoutLayerReuseOrSvdCache_SameResults()
    {
        string[] Args(string dir, params string[] more) =>
            ["sweep", .. Common("--layers", "1-2", "--target", "mlp", "--target", "attn", "--rates", "0,0.5,0.9,0.99", "--out", dir), .. more];
        string fast = Path.Combine(_work, "fast"), slow = Path.Combine(_work, "slow");
        var a = await CliRun.InvokeAsync(Args(fast));
        var b = await CliRun.InvokeAsync(Args(slow, "--no-layer-reuse", "--no-svd-cache"));
        Assert.That(a.ExitCode, Is.EqualTo(ExitCodes.Success), a.Error);
        Assert.That(b.ExitCode, Is.EqualTo(ExitCodes.Success), b.Error);
        Assert.That(File.ReadAllText(Path.Combine(fast, "results.json")), Is.EqualTo(File.ReadAllText(Path.Combine(slow, "results.json"))));
        // Not vacuous: some configurations change which items are right.
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(fast, "results.json")));
        var changes = json.RootElement.GetProperty("cells").EnumerateArray()
            .SelectMany(c => c.GetProperty("per_seed").EnumerateArray())
            .Sum(s => s.GetProperty("baseline_only_correct").GetInt32() + s.GetProperty("pruned_only_correct").GetInt32());
        Assert.That(changes, Is.GreaterThan(0));
    }

    [Test]
    public async Task Sweep_KilledWithSigkillThenRerun_SameResultsAsUninterrupted()
    {
        string[] Args(string dir) => ["sweep", .. Common("--layers", "all", "--target", "mlp", "--out", dir)];   // 3 x 8 cells
        string reference = Path.Combine(_work, "uninterrupted");
        var full = await CliRun.InvokeAsync(Args(reference));
        Assert.That(full.ExitCode, Is.EqualTo(ExitCodes.Success), full.Error);
        int totalLines = File.ReadAllLines(Path.Combine(reference, SweepJournal.FileName)).Length;

        // A real process, killed with SIGKILL while it is writing cells.
        string killed = Path.Combine(_work, "killed");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(RepositoryLayout.ToolAssembly);
        foreach (string a in Args(killed)) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        string journal = Path.Combine(killed, SweepJournal.FileName);
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (File.Exists(journal) && CountLines(journal) >= 6) break;
            Thread.Sleep(5);
        }
        Assert.That(process.HasExited, Is.False, "the sweep finished before it could be killed; the test needs a bigger grid");
        Process.Start("kill", ["-9", process.Id.ToString()])!.WaitForExit();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(137));
        int linesAtKill = CountLines(journal);
        Assert.That(linesAtKill, Is.LessThan(totalLines), "killed midway");

        var resumed = await CliRun.InvokeAsync(Args(killed));
        Assert.That(resumed.ExitCode, Is.EqualTo(ExitCodes.Success), resumed.Error);
        Assert.That(resumed.Error, Does.Contain("resuming"));
        Assert.That(File.ReadAllText(Path.Combine(killed, "results.json")), Is.EqualTo(File.ReadAllText(Path.Combine(reference, "results.json"))));
        Assert.That(File.ReadAllText(Path.Combine(killed, "results.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(reference, "results.csv"))));
    }

    static int CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int lines = 0;
        int b;
        while ((b = stream.ReadByte()) >= 0) if (b == '\n') lines++;
        return lines;
    }

    [Test]
    public async Task Search_Racing_SamePickAsFullSearchAndReportsItemForwards()
    {
        // The demo's pruning task and rates on the bundled model, 3 of its 10 seeds to keep the test short (docs/pruning.md, "Racing").
        string[] args = ["search", "--model", "tiny", "--task", "synth-4way-noisy", "--module", "attn", "--seeds", "0,1,2",
            "--rates", "0.1,0.5,0.75,0.9,0.95,0.99", "--json"];
        var full = await CliRun.InvokeAsync(args);
        var raced = await CliRun.InvokeAsync([.. args, "--racing"]);

        Assert.That((full.ExitCode, raced.ExitCode), Is.EqualTo((ExitCodes.Success, ExitCodes.Success)), full.Error + raced.Error);
        var fullResult = JsonSerializer.Deserialize<SearchResult>(full.Output, SearchJson.Options)!;
        var racedResult = JsonSerializer.Deserialize<SearchResult>(raced.Output, SearchJson.Options)!;
        Assert.That(fullResult.Racing, Is.Null);
        Assert.That(racedResult.BestRate, Is.EqualTo(fullResult.BestRate));
        var racing = racedResult.Racing!;
        TestContext.Out.WriteLine($"tiny attn: xi* {racedResult.BestRate}, {racing.ItemForwards} of {racing.FullSearchItemForwards} item-forwards, " +
            $"dropped {string.Join(", ", racing.Dropped.Select(d => $"{d.Rate} at stage {d.Stage}"))}");
        Assert.That(racing.FullSearchItemForwards, Is.EqualTo(7L * racing.ValidationItems * 3));
        Assert.That(racing.ItemForwards, Is.LessThanOrEqualTo(racing.FullSearchItemForwards));
        Assert.That(raced.Error, Does.Contain("racing:").And.Contain("item-forwards"));
    }

    [Test]
    public async Task Sweep_IclDynamics_ResultsHoldNormsPerCellAndCorrelation()
    {
        string folder = Path.Combine(_work, "sweep-dynamics");
        var run = await CliRun.InvokeAsync("sweep", "--model", "tiny", "--task", "synth-2way", "--layers", "1", "--target", "attn",
            "--rates", "0,0.5,0.9", "--seeds", "0", "--split", "test", "--out", folder, "--icl-dynamics");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.Contain("implicit-update norms of 3 cells"));
        Assert.That(run.Output.Split('\n'), Has.Some.StartsWith("implicit-update norms of 3 cells"), "its own line, not run on after the tables' legend");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        var dynamics = json.RootElement.GetProperty("dynamics");
        Assert.That(dynamics.GetProperty("cells").GetArrayLength(), Is.EqualTo(3));
        Assert.That(dynamics.GetProperty("unpruned").GetProperty("layers").GetArrayLength(), Is.EqualTo(2));
        Assert.That(File.ReadAllText(Path.Combine(folder, "results.md")), Does.Contain("Implicit-update norms"));
    }

    [Test]
    public async Task Sweep_IclDynamicsWithShard_ExitsTwoBeforeLoading()
    {
        var run = await CliRun.InvokeAsync("sweep", "--model", "tiny", "--task", "synth-2way", "--out", Path.Combine(_work, "shard-dyn"),
            "--shard", "1/2", "--icl-dynamics");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.Error);
        Assert.That(run.Error, Does.Contain("--icl-dynamics").And.Contain("--shard"));
    }

    [Test]
    public async Task Search_ModelWithFewerLayersThanDefaultTopK_UsesEveryLayer()
    {
        // The bundled tiny model has 2 layers: the paper's k = 3 cannot apply, and without --top-k that is no error.
        var run = await CliRun.InvokeAsync("search", "--model", "tiny", "--task", "synth-2way", "--module", "mlp", "--seeds", "0", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        using var json = JsonDocument.Parse(run.Output);
        Assert.That(json.RootElement.GetProperty("top_k").GetInt32(), Is.EqualTo(2));
    }
}
