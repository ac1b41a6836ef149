using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>The README's main command through the real command tree, on the bundled tiny model.</summary>
public sealed class DemoCommandTests
{
    string _out = "";

    [SetUp]
    public void CreateOut() => _out = Directory.CreateTempSubdirectory("icl-demo-cmd-").FullName;

    [TearDown]
    public void DeleteOut() => Directory.Delete(_out, recursive: true);

    [Test]
    public async Task Demo_BundledModel_PrintsTablesAndWritesTheReport()
    {
        var run = await CliRun.InvokeAsync("demo", "--out", _out, "--seeds", "0");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.Contain("ICL accuracy vs shots").And.Contain("synth-4way").And.Contain("synth-4way-noisy"));
        Assert.That(run.Output, Does.Contain("test accuracy per layer and clipping rate").And.Contain("0.99"));
        Assert.That(run.Output, Does.Contain("Algorithm 1 (attn)").And.Contain("Algorithm 1 (mlp)").And.Contain("paired p = "));
        Assert.That(run.Output, Does.Contain("improve ICL"), "the verdict sentence, positive or negative");
        Assert.That(run.Output, Does.Contain("Spearman"));
        Assert.That(run.Output, Does.Contain(Path.Combine(_out, "report.md")));
        Assert.That(run.Error, Does.Contain("layer x rate sweep"), "plain progress lines when stderr is not a terminal");
        foreach (var file in new[] { "report.md", "results.json", "accuracy_vs_shots.png", "condition_numbers.png", "icl_dynamics.png",
                     Path.Combine("sweep", "heatmap-attn.png"), Path.Combine("sweep", "heatmap-mlp.png") })
            Assert.That(File.Exists(Path.Combine(_out, file)), Is.True, file);
    }

    [Test]
    public async Task Demo_BadSeeds_ExitsTwoNamingTheValue()
    {
        var run = await CliRun.InvokeAsync("demo", "--out", _out, "--seeds", "0,x");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain("'x'"));
    }
}
