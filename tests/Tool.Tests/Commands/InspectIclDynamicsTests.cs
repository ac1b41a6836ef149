using System.Text.Json;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>`inspect --icl-dynamics` through the real command tree on the bundled tiny model.</summary>
public sealed class InspectIclDynamicsTests
{
    string _out = "";

    [SetUp]
    public void CreateOut() => _out = Directory.CreateTempSubdirectory("icl-dynamics-").FullName;

    [TearDown]
    public void DeleteOut() => Directory.Delete(_out, recursive: true);

    [Test]
    public async Task InspectIclDynamics_TinyPrunedLastAttention_TableJsonAndPlot()
    {
        var run = await CliRun.InvokeAsync("inspect", "--model", "tiny", "--icl-dynamics", "--icl-seeds", "0,1",
            "--icl-prune", "attn@1:0.75", "--icl-out", _out);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.Contain("||G_t||").And.Contain("attn@1:0.75"));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "icl-dynamics.json")));
        Assert.That(json.RootElement.GetProperty("unpruned").GetProperty("layers").GetArrayLength(), Is.EqualTo(2));
        Assert.That(json.RootElement.GetProperty("pruned").GetProperty("layers").GetArrayLength(), Is.EqualTo(2));
        Assert.That(new FileInfo(Path.Combine(_out, "icl-dynamics.png")).Length, Is.GreaterThan(1000));
    }

    [Test]
    public async Task InspectIclDynamics_BadSpec_ExitsNonZeroNamingIt()
    {
        var run = await CliRun.InvokeAsync("inspect", "--model", "tiny", "--icl-dynamics", "--icl-prune", "attn@7:0.5", "--icl-out", _out);

        Assert.That(run.ExitCode, Is.Not.EqualTo(ExitCodes.Success));
        Assert.That(run.Error, Does.Contain("attn@7:0.5").Or.Contain("7"));
    }
}
