using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

public class DoctorCommandTests
{
    [Test]
    public async Task Doctor_PackagedCpuBackend_ReportsLibTorchAndExitsZero()
    {
        var run = await CliRun.InvokeAsync("doctor");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.Contain("libtorch version").And.Contain("2.10.0"));
        Assert.That(run.Output, Does.Match(@"backend\s+cpu"));
        Assert.That(run.Output, Does.Match(@"CUDA available\s+false"));
        Assert.That(run.Output, Does.Match(@"threads\s+\d+"));
        Assert.That(run.Output, Does.Contain("libstdc++"));
        Assert.That(run.Output, Does.Contain("torch works."));
    }

    [Test]
    public async Task Doctor_LibTorchFolderMissing_ExitsOneNamingTheFolder()
    {
        var run = await CliRun.InvokeAsync("doctor", "--libtorch", "/nonexistent/libtorch");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(run.Error, Does.Contain("/nonexistent/libtorch").And.Contain("does not exist"));
    }

    [Test]
    public async Task Doctor_LibTorchFolderWithPackagedBackend_ExitsOneExplainingTheExternalBackend()
    {
        var run = await CliRun.InvokeAsync("doctor", "--libtorch", RepositoryLayout.NativeFolder);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(run.Error, Does.Contain("bundles libtorch").And.Contain("TorchBackend=external"));
    }

    [Test]
    public async Task Doctor_LibTorchFolderWithoutLibraries_ExitsOneNamingTheMissingFile()
    {
        var empty = Directory.CreateTempSubdirectory("no-libtorch-");
        try
        {
            var run = await CliRun.InvokeAsync("doctor", "--libtorch", empty.FullName);

            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(run.Error, Does.Contain(empty.FullName).And.Contain("libc10.so"));
        }
        finally
        {
            empty.Delete();
        }
    }
}
