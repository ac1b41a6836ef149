using System.Text.Json;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>`export` and `inspect --spectra` through the real command tree on a tiny GPT-2 folder.</summary>
public sealed class PruningCommandsTests
{
    TinyCheckpoint _model = null!;
    string _out = "";

    [OneTimeSetUp]
    public void CreateModel() => _model = Gpt2Checkpoints.ForCommands();

    [OneTimeTearDown]
    public void DeleteModel() => _model.Dispose();

    [SetUp]
    public void CreateOut() => _out = Directory.CreateTempSubdirectory("icl-cmd-").FullName;

    [TearDown]
    public void DeleteOut() => Directory.Delete(_out, recursive: true);

    [Test]
    public async Task Export_Factorized_ReportsSavingsAndWritesManifest()
    {
        string dir = Path.Combine(_out, "pruned");
        var run = await CliRun.InvokeAsync("export", "--model", _model.Folder, "--prune", "mlp@-1:rank=2", "--prune", "o@0:0.5",
            "--out", dir, "--factorized", "--json");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        using var report = JsonDocument.Parse(run.Output);
        // fc_in [24, 37] and fc_out [37, 24] at rank 2: 2 * 888 -> 2 * 122; o [24, 24] at rank 12: 576 -> 576.
        Assert.That(report.RootElement.GetProperty("parameters_saved").GetInt64(), Is.EqualTo(2 * (888 - 122) + (576 - 576)));
        Assert.That(File.Exists(Path.Combine(dir, "lowrank.json")), Is.True);
        Assert.That(File.Exists(Path.Combine(dir, "config.json")), Is.True);
    }

    [Test]
    public async Task Export_Dense_TablePrinted()
    {
        var run = await CliRun.InvokeAsync("export", "--model", _model.Folder, "--prune", "attn@1:0.9", "--out", Path.Combine(_out, "d"));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.Contain("dense").And.Contain("matrices pruned"));
    }

    [TestCase("mlp@5:0.5", "out of range")]
    [TestCase("fc_up@0:0.5", "valid targets")]
    [TestCase("mlp@0:1.2", "[0, 1)")]
    public async Task Export_InvalidSpec_ExitsTwoWithValidChoices(string spec, string expected)
    {
        var run = await CliRun.InvokeAsync("export", "--model", _model.Folder, "--prune", spec, "--out", Path.Combine(_out, "x"));
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage), run.Error);
        Assert.That(run.Error, Does.Contain(expected));
    }

    [Test]
    public async Task InspectSpectra_WritesJsonAndPng()
    {
        var run = await CliRun.InvokeAsync("inspect", "--model", _model.Folder, "--spectra", "--rates", "0,0.5", "--spectra-out", _out, "--json");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "spectra.json")));
        var matrices = json.RootElement.GetProperty("matrices");
        Assert.That(matrices.GetArrayLength(), Is.EqualTo(Gpt2Checkpoints.CommandSizes.Layers * 6));
        Assert.That(matrices[0].GetProperty("energy_kept").GetArrayLength(), Is.EqualTo(2));
        Assert.That(new FileInfo(Path.Combine(_out, "spectra.png")).Length, Is.GreaterThan(1000));
    }
}
