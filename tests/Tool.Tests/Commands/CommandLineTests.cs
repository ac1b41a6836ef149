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
}
