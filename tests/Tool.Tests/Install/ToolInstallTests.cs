using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Install;

/// <summary>
/// The install paths of the README, for real: the packed tool installed into a scratch tool path (shared with the
/// other install tests, see <see cref="PackedFeed"/>) runs from another directory; and the `external` backend built
/// and pointed at a libtorch copied outside the build. Slow: each works on a scratch copy of the sources so this
/// checkout's bin/obj stay untouched.
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
        var tool = PackedFeed.Tool; // `dotnet pack Tool.sln`, then `dotnet tool install --tool-path`

        var doctor = ProcessRun.Start(tool.Executable, ["doctor"], _scratch, TimeSpan.FromMinutes(2));

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
