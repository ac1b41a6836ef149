using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Install;

/// <summary>
/// The install paths of the README, for real: pack the tool, install it into a scratch tool path, run it from
/// another directory; and build the `external` backend and point it at a libtorch copied outside the build.
/// Slow (a pack is ~150 MB): each works on a scratch copy of the sources so this checkout's bin/obj stay untouched.
/// </summary>
[Category("Slow")]
[NonParallelizable]
public class ToolInstallTests
{
    static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(8);
    string _scratch = "";

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("icl-prune-install-").FullName;

    [TearDown]
    public void DeleteScratch() => Directory.Delete(_scratch, recursive: true);

    [Test]
    public void PackedTool_InstalledIntoToolPath_RunsDoctorFromAnyDirectory()
    {
        string sources = RepositoryLayout.CopySourcesTo(Directory.CreateDirectory(Path.Combine(_scratch, "src-copy")).FullName);
        string feed = Path.Combine(_scratch, "feed");
        string tools = Path.Combine(_scratch, "tools");

        ProcessRun.Start("dotnet", ["pack", "src/Tool/Tool.csproj", "-c", "Release", "-o", feed], sources, BuildTimeout)
            .AssertSucceeded("dotnet pack");
        Assert.That(Directory.GetFiles(feed, "IclPrune.Tool.*.nupkg"), Is.Not.Empty);
        ProcessRun.Start("dotnet", ["tool", "install", "IclPrune.Tool", "--tool-path", tools, "--add-source", feed],
            sources, BuildTimeout).AssertSucceeded("dotnet tool install");

        var doctor = ProcessRun.Start(Path.Combine(tools, "dotnet-icl-prune"), ["doctor"], _scratch, TimeSpan.FromMinutes(2));

        Assert.That(doctor.ExitCode, Is.EqualTo(0), doctor.All);
        Assert.That(doctor.Output, Does.Contain("2.10.0").And.Contain("torch works."));
    }

    [Test]
    public void ExternalBackend_LibTorchFromOutsideFolder_DoctorLoadsItFromThere()
    {
        string sources = RepositoryLayout.CopySourcesTo(Directory.CreateDirectory(Path.Combine(_scratch, "src-copy")).FullName);
        string output = Path.Combine(_scratch, "external-build");
        ProcessRun.Start("dotnet", ["build", "src/Tool/Tool.csproj", "-p:TorchBackend=external", "-o", output],
            sources, BuildTimeout).AssertSucceeded("dotnet build -p:TorchBackend=external");
        Assert.That(File.Exists(Path.Combine(output, "runtimes", "linux-x64", "native", "libtorch_cpu.so")), Is.False,
            "the external backend must not ship libtorch");

        string libtorch = Directory.CreateDirectory(Path.Combine(_scratch, "outside-libtorch", "lib")).FullName;
        foreach (var file in Directory.GetFiles(RepositoryLayout.NativeFolder))
        {
            string name = Path.GetFileName(file);
            if (name.StartsWith("libLibTorchSharp") || name.Contains("_test") || name.Contains("python")) continue;
            File.Copy(file, Path.Combine(libtorch, name));
        }
        string tool = Path.Combine(output, "IclPrune.Tool.dll");

        var withoutFolder = ProcessRun.Start("dotnet", [tool, "doctor"], _scratch, TimeSpan.FromMinutes(2));
        var withFolder = ProcessRun.Start("dotnet", [tool, "doctor", "--libtorch", libtorch], _scratch, TimeSpan.FromMinutes(2));
        var fromEnvironment = ProcessRun.Start("dotnet", [tool, "doctor"], _scratch, TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["ICL_PRUNE_LIBTORCH"] = libtorch });

        Assert.That(withoutFolder.ExitCode, Is.EqualTo(1), withoutFolder.All);
        Assert.That(withoutFolder.Error, Does.Contain("--libtorch"));
        Assert.That(withFolder.ExitCode, Is.EqualTo(0), withFolder.All);
        Assert.That(withFolder.Output.Replace("\n", "").Replace(" ", ""), Does.Contain(libtorch.Replace(" ", "")));
        Assert.That(withFolder.Output, Does.Match(@"backend\s+external"));
        Assert.That(fromEnvironment.ExitCode, Is.EqualTo(0), fromEnvironment.All);
    }
}
