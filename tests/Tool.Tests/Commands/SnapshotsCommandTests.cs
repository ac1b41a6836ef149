using IclAssertions.Snapshots;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Statistics;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

public class SnapshotsCommandTests
{
    string _root = null!;

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), "icl-snap-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    static SnapshotDocument Document(int correct, int flippedWrong = 0)
    {
        // 100 items, the first `correct` right; then `flippedWrong` of those turned wrong.
        var items = Enumerable.Range(0, 100).Select(i => i < correct && i >= flippedWrong).ToArray();
        int right = items.Count(x => x);
        var result = new EvaluationResult
        {
            Model = new ModelIdentity("tiny", "m1"), Task = new TaskIdentity("sst2", "test", "t1"), Shots = 4, Seeds = [0],
            Device = "cpu", DType = "fp32", Backend = "cpu", Accuracy = right / 100.0, AccuracyStd = 0,
            PerSeed = [new SeedResult(0, 100, right, right / 100.0, WilsonInterval.Compute(right, 100), items)],
            Timing = new Timing(1, 1, 1),
            ItemKeys = Enumerable.Range(0, 100).Select(i => $"test:{i}:{i:x12}").ToArray(),
            ItemPreviews = Enumerable.Range(0, 100).Select(i => $"sentence number {i}").ToArray(),
        };
        return SnapshotDocument.From(result);
    }

    void Write(string relative, SnapshotDocument document)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, SnapshotSerializer.Serialize(document));
    }

    [Test]
    public async Task Review_PendingDrop_ShowsVerdictAndFlippedItems()
    {
        Write("suite/A.Drop.verified.json", Document(80));
        Write("suite/A.Drop.received.json", Document(80, flippedWrong: 12));
        Write("suite/A.New.received.json", Document(70));

        var run = await CliRun.InvokeAsync("snapshots", "review", _root);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.Contain("== suite/A.Drop.received.json").And.Contain("verdict: SignificantDrop"));
        Assert.That(run.Output, Does.Contain("approved 0.8000 (1 seed(s)), received 0.6800 (1 seed(s)), 100 items paired by key"));
        Assert.That(run.Output, Does.Contain("12 item(s) worse, 0 better").And.Contain("test:0:000000000000  1 -> 0  sentence number 0"));
        Assert.That(run.Output, Does.Contain("accept needs --accept-drop"));
        Assert.That(run.Output, Does.Contain("== suite/A.New.received.json").And.Contain("new snapshot"));
        Assert.That(run.Error, Does.Contain("2 pending"));
    }

    [Test]
    public async Task Accept_PendingDrop_RefusedWithExitOneUntilAcceptDrop()
    {
        Write("A.Drop.verified.json", Document(80));
        Write("A.Drop.received.json", Document(80, flippedWrong: 12));

        var refused = await CliRun.InvokeAsync("snapshots", "accept", _root);
        Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(refused.Error, Does.Contain("refused A.Drop.received.json: its verdict is SignificantDrop").And.Contain("--accept-drop"));
        Assert.That(File.Exists(Path.Combine(_root, "A.Drop.received.json")), Is.True);

        var forced = await CliRun.InvokeAsync("snapshots", "accept", "--accept-drop", _root);
        Assert.That(forced.ExitCode, Is.EqualTo(ExitCodes.Success), forced.Error);
        Assert.That(SnapshotSerializer.Read(Path.Combine(_root, "A.Drop.verified.json")).Accuracy, Is.EqualTo(0.68));
    }

    [Test]
    public async Task Accept_Received_ReplacesVerifiedAndSkipsBuildOutput()
    {
        Write("A.T.verified.json", Document(80));
        Write("A.T.received.json", Document(90));
        Write("bin/Debug/A.T.received.json", Document(10));

        var run = await CliRun.InvokeAsync("snapshots", "accept", _root);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output.Trim(), Is.EqualTo("accepted A.T.verified.json"));
        Assert.That(File.Exists(Path.Combine(_root, "A.T.received.json")), Is.False);
        Assert.That(SnapshotSerializer.Read(Path.Combine(_root, "A.T.verified.json")).Accuracy, Is.EqualTo(0.9));
        Assert.That(File.Exists(Path.Combine(_root, "bin/Debug/A.T.received.json")), Is.True);
    }

    [Test]
    public async Task Reject_Received_DeletesOnlyReceived()
    {
        Write("A.T.verified.json", Document(80));
        Write("A.T.received.json", Document(90));

        var run = await CliRun.InvokeAsync("snapshots", "reject", _root);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(Directory.GetFiles(_root).Select(Path.GetFileName), Is.EqualTo(new[] { "A.T.verified.json" }));
    }

    [Test]
    public async Task Accept_CorruptReceived_FailsNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_root, "A.T.received.json"), "{ not json");
        var run = await CliRun.InvokeAsync("snapshots", "accept", _root);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(run.Error.Replace("\n", ""), Does.Contain("A.T.received.json: not a valid snapshot")); // Spectre wraps at 80 columns
    }

    [Test]
    public async Task Review_MissingFolder_IsUsageError()
    {
        var run = await CliRun.InvokeAsync("snapshots", "review", Path.Combine(_root, "nope"));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
    }
}
