using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

public class CommandLineTests
{
    [Test]
    public async Task Run_UnknownCommand_ExitsTwoWithUsageError()
    {
        var run = await CliRun.InvokeAsync("frobnicate");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain("frobnicate"));
    }

    [Test]
    public async Task Run_UnknownOption_ExitsTwoWithUsageError()
    {
        var run = await CliRun.InvokeAsync("doctor", "--no-such-option");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain("--no-such-option"));
    }

    [Test]
    public async Task Run_Version_PrintsToolVersion()
    {
        var run = await CliRun.InvokeAsync("--version");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(run.Output.Trim(), Does.Match(@"^\d+\.\d+\.\d+"));
    }

    [Test]
    public async Task Run_Help_ListsDoctor()
    {
        var run = await CliRun.InvokeAsync("--help");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(run.Output, Does.Contain("doctor"));
    }

    [Test]
    public async Task Run_Help_UsageLineNamesDotnetIclPrune()
    {
        var root = await CliRun.InvokeAsync("--help");
        var sweep = await CliRun.InvokeAsync("sweep", "--help");

        Assert.That(root.Output, Does.Contain("Usage:\n  dotnet icl-prune [command] [options]"));
        Assert.That(sweep.Output, Does.Contain("Usage:\n  dotnet icl-prune sweep [command] [options]"));
    }

    [Test]
    public async Task Run_Help_HidesDeveloperTools()
    {
        var run = await CliRun.InvokeAsync("--help");

        Assert.That(run.Output, Does.Not.Contain("train-tiny").And.Not.Contain("benchmark").And.Not.Match(@"\n\s+dev\s"));
    }

    [Test]
    public async Task Run_DevHelp_ListsEveryDeveloperTool()
    {
        var run = await CliRun.InvokeAsync("dev", "--help");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(run.Output, Does.Contain("dotnet icl-prune dev [command] [options]"));
        foreach (string tool in new[] { "train-tiny", "generate-synthetic", "measure-synthetic", "benchmark", "benchmark-prune", "benchmark-eval" })
            Assert.That(run.Output, Does.Match($@"\n\s+{tool}\s"), tool);
    }

    [Test]
    public async Task Run_OldTopLevelDeveloperTool_ExitsTwoPointingToDev()
    {
        var run = await CliRun.InvokeAsync("train-tiny", "--steps", "1");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain("dotnet icl-prune dev train-tiny"));
    }
}
