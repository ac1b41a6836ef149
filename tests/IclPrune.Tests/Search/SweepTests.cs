using IclPrune.Evaluation;
using IclPrune.Reports;
using IclPrune.Search;

namespace IclPrune.Tests.Search;

public sealed class SweepTests
{
    static readonly SweepGrid Grid = new([0, 1, 2], ["mlp", "fc_in"], [0m, 0.5m, 0.9m]);
    string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("icl-sweep-").FullName;

    [TearDown]
    public void DeleteFolder() { if (Environment.GetEnvironmentVariable("ICL_KEEP_TEST_OUTPUT") is null) Directory.Delete(_folder, recursive: true); else TestContext.Out.WriteLine(_folder); }

    static string ResultsJson(SweepResult result, string folder)
    {
        SweepReport.Write(SweepSummary.Of(result), folder);
        return File.ReadAllText(Path.Combine(folder, "results.json"));
    }

    [Test]
    public void Run_InterruptedThenResumed_SameResultsAsUninterrupted()
    {
        using var model = new TinyResidualClassifier();
        string reference = ResultsJson(Sweep.Run(Grid, SplitRole.Validation, model.Evaluate, Path.Combine(_folder, "a"), "cfg"), Path.Combine(_folder, "a"));
        int full = model.Evaluations;

        // Second sweep dies after 5 evaluations (the evaluator throws, as a crash in the middle of a cell would).
        string b = Path.Combine(_folder, "b");
        int calls = 0;
        PrunedEvaluator dying = (specs, split) => ++calls > 5 ? throw new IOException("killed") : model.Evaluate(specs, split);
        Assert.Throws<IOException>(() => Sweep.Run(Grid, SplitRole.Validation, dying, b, "cfg"));
        // Header, baseline, then layer 0 (6 cells, 4 evaluated) and layer 1's mlp@1:0 (reused from the baseline).
        Assert.That(File.ReadAllLines(Path.Combine(b, SweepJournal.FileName)), Has.Length.EqualTo(1 + 1 + 7));

        int before = model.Evaluations;
        var resumed = Sweep.Run(Grid, SplitRole.Validation, model.Evaluate, b, "cfg");
        Assert.That(model.Evaluations - before, Is.EqualTo(full - 5), "finished cells are not evaluated again");
        Assert.That(ResultsJson(resumed, b), Is.EqualTo(reference));
        Assert.That(File.ReadAllLines(Path.Combine(b, SweepJournal.FileName)), Has.Length.EqualTo(1 + 1 + 18));
    }

    [Test]
    public void Run_TornLastLine_IsDroppedAndRecomputed()
    {
        using var model = new TinyResidualClassifier();
        string reference = ResultsJson(Sweep.Run(Grid, SplitRole.Validation, model.Evaluate, Path.Combine(_folder, "a"), "cfg"), Path.Combine(_folder, "a"));

        string b = Path.Combine(_folder, "b");
        int calls = 0;
        PrunedEvaluator dying = (specs, split) => ++calls > 3 ? throw new IOException("killed") : model.Evaluate(specs, split);
        Assert.Throws<IOException>(() => Sweep.Run(Grid, SplitRole.Validation, dying, b, "cfg"));
        // A kill during the write of the next line leaves half a line without its newline.
        File.AppendAllText(Path.Combine(b, SweepJournal.FileName), "{\"kind\":\"cell\",\"key\":\"mlp@1:0.9\",\"res");

        var resumed = Sweep.Run(Grid, SplitRole.Validation, model.Evaluate, b, "cfg");
        Assert.That(ResultsJson(resumed, b), Is.EqualTo(reference));
        var lines = File.ReadAllLines(Path.Combine(b, SweepJournal.FileName));
        Assert.That(lines.All(l => l.EndsWith('}')), Is.True);
    }

    [Test]
    public void Run_TornHeader_StartsOver()
    {
        using var model = new TinyResidualClassifier();
        File.WriteAllText(Path.Combine(_folder, SweepJournal.FileName), "{\"kind\":\"header\",\"vers");
        var result = Sweep.Run(Grid, SplitRole.Validation, model.Evaluate, _folder, "cfg");
        Assert.That(result.Cells, Has.Count.EqualTo(18));
        var lines = File.ReadAllLines(Path.Combine(_folder, SweepJournal.FileName));
        Assert.That(lines[0], Does.Contain("\"kind\":\"header\""));
        Assert.That(lines, Has.Length.EqualTo(1 + 1 + 18));
    }

    [Test]
    public void Run_ChangedConfiguration_RefusesOldJournal()
    {
        using var model = new TinyResidualClassifier();
        int calls = 0;
        PrunedEvaluator dying = (specs, split) => ++calls > 2 ? throw new IOException("killed") : model.Evaluate(specs, split);
        Assert.Throws<IOException>(() => Sweep.Run(Grid, SplitRole.Validation, dying, _folder, "cfg"));

        var e = Assert.Throws<IclPruneException>(() => Sweep.Run(Grid, SplitRole.Validation, model.Evaluate, _folder, "other-model"));
        Assert.That(e!.Message, Does.Contain("different configuration").And.Contain(SweepJournal.FileName));
        var otherGrid = Grid with { Rates = [0m, 0.5m] };
        Assert.Throws<IclPruneException>(() => Sweep.Run(otherGrid, SplitRole.Validation, model.Evaluate, _folder, "cfg"));
        Assert.Throws<IclPruneException>(() => Sweep.Run(Grid, SplitRole.Test, model.Evaluate, _folder, "cfg"));
    }

    [Test]
    public void Run_RateZeroCells_ReuseBaselineAndMatchIt()
    {
        using var model = new TinyResidualClassifier();
        var result = Sweep.Run(Grid, SplitRole.Validation, model.Evaluate, _folder, "cfg");
        Assert.That(model.Evaluations, Is.EqualTo(1 + 3 * 2 * 2));
        // Check the reuse is right: an actual evaluation at xi = 0 gives the baseline's per-item outcomes.
        var zero = model.Evaluate([new SweepCell(1, "mlp", 0m).Spec], SplitRole.Validation);
        Assert.That(zero.PerSeed[0].ItemCorrect, Is.EqualTo(result.Baseline.PerSeed[0].ItemCorrect));
        Assert.That(result.Cells.Where(c => c.Cell.Rate == 0m).All(c => c.Result.Accuracy == result.Baseline.Accuracy), Is.True);
        // And pruning does change something in this model.
        Assert.That(result.Cells.Any(c => c.Result.Accuracy != result.Baseline.Accuracy), Is.True);
    }

    [Test]
    public void Write_AllOutputs_CsvMarkdownAndPngs()
    {
        using var model = new TinyResidualClassifier();
        var result = Sweep.Run(Grid, SplitRole.Validation, model.Evaluate, _folder, "cfg");
        var files = SweepReport.Write(SweepSummary.Of(result), _folder);
        Assert.That(files.Select(Path.GetFileName), Is.EquivalentTo(new[] { "results.json", "results.csv", "results.md", "heatmap-mlp.png", "heatmap-fc_in.png" }));
        string[] csv = File.ReadAllLines(Path.Combine(_folder, "results.csv"));
        Assert.That(csv, Has.Length.EqualTo(1 + 1 + 18));
        Assert.That(csv[2], Does.StartWith("0,\"mlp\",0,"));
        byte[] png = File.ReadAllBytes(Path.Combine(_folder, "heatmap-mlp.png"));
        Assert.That(png.Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
        Assert.That(File.ReadAllText(Path.Combine(_folder, "results.md")), Does.Contain("## fc_in").And.Contain("| 2 |"));
    }

    [Test]
    public void Run_JournalHeldByAnotherWriter_RefusedNamingHolder()
    {
        using var model = new TinyResidualClassifier();
        using var held = JournalLock.Acquire(Path.Combine(_folder, SweepJournal.FileName), "sweep journal");
        var e = Assert.Throws<LockHeldException>(() => Sweep.Run(Grid, SplitRole.Validation, model.Evaluate, _folder, "cfg"));
        Assert.That(e!.Message, Does.Contain($"in use by host {Environment.MachineName} pid {Environment.ProcessId}"));
        Assert.That(model.Evaluations, Is.Zero);
    }

    [Test]
    public void Validate_BadTarget_ThrowsUsage() =>
        Assert.Throws<UsageException>(() => Sweep.Run(Grid with { Targets = ["ffn"] }, SplitRole.Validation, (_, _) => throw new AssertionException("not reached"), _folder, "cfg"));
}
