using IclPrune.Output;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Reliability;

/// <summary>
/// Every command that writes files, pointed at places it cannot write (/proc, a character device) or at a symlink:
/// a clear error naming the path and exit 1, or a write through the link; never a stack trace or a replaced device
/// (issue 17, finding 5 and the silent results). The tests run as root in CI, so /proc stands in for a read-only disk.
/// </summary>
[NonParallelizable]
public sealed class OutputPathTests
{
    TinyCheckpoint _model = null!;
    string _work = "";
    string _task = "";

    [OneTimeSetUp]
    public void Create()
    {
        _model = Gpt2Checkpoints.ForCommands(seed: 9);
        _work = Directory.CreateTempSubdirectory("icl-out-").FullName;
        _task = TinySentimentTask.Write(_work);
    }

    [OneTimeTearDown]
    public void Delete()
    {
        _model.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    string[] Task(params string[] more) => ["--task", _task, "--data", _work, "--seeds", "0", "--limit", "4", .. more];

    static void AssertClearWriteError(CliRun run, string path)
    {
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failure), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain(path).And.Contain("cannot write").Or.Contain("refusing to write"));
        Assert.That(run.Error, Does.Not.Contain("internal error").And.Not.Contain("   at "));
    }

    [Test]
    public async Task Sweep_OutInProc_ClearError() =>
        AssertClearWriteError(await CliRun.InvokeAsync(["sweep", "--model", _model.Folder, .. Task("--layers", "0", "--target", "mlp", "--rates", "0,0.5", "--out", "/proc/x")]), "/proc/x");

    [Test]
    public async Task Export_OutInProc_ClearError() =>
        AssertClearWriteError(await CliRun.InvokeAsync("export", "--model", _model.Folder, "--prune", "mlp@0:0.5", "--out", "/proc/x"), "/proc/x");

    [Test]
    public async Task Convert_OutInProc_ClearError() =>
        AssertClearWriteError(await CliRun.InvokeAsync("convert", "--model", _model.Folder, "--out", "/proc/x"), "/proc/x");

    [Test]
    public async Task InspectSpectra_OutInProc_ClearError() =>
        AssertClearWriteError(await CliRun.InvokeAsync("inspect", "--model", _model.Folder, "--spectra", "--rates", "0.5", "--spectra-out", "/proc/x"), "/proc/x");

    [Test]
    public async Task Eval_OutIsACharacterDevice_RefusedAndTheDeviceStays()
    {
        var run = await CliRun.InvokeAsync(["eval", "--model", _model.Folder, .. Task("--out", "/dev/null")]);
        AssertClearWriteError(run, "/dev/null");
        Assert.That(run.Error, Does.Contain("a character device"));
        Assert.That(FileKinds.Of("/dev/null"), Is.EqualTo(FileKind.CharacterDevice));
    }

    [Test]
    public async Task Eval_OutIsASymlink_WritesThroughTheLink()
    {
        string real = Path.Combine(_work, "real-results.json");
        string link = Path.Combine(_work, "results-link.json");
        File.WriteAllText(real, "old");
        File.CreateSymbolicLink(link, real);

        var run = await CliRun.InvokeAsync(["eval", "--model", _model.Folder, .. Task("--out", link)]);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(FileKinds.Of(link), Is.EqualTo(FileKind.Symlink));
        Assert.That(File.ReadAllText(real), Does.Contain("\"accuracy\""));
    }
}
