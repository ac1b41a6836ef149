using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Install;

/// <summary>
/// What a user does with the README's commands, for real: the tool packed and installed (<see cref="PackedFeed"/>),
/// `init` of a suite in a folder outside any checkout with no flags, then restore (the suite's packages/ folder plus
/// the normal NuGet sources), build and `dotnet test` it the way the snapshot workflow goes: CI fails and writes
/// nothing, a local run writes the received file, `snapshots accept`, and CI passes.
/// </summary>
[Category("Slow")]
[NonParallelizable]
public class EvalSuiteOutsideCheckoutTests
{
    static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(6);
    string _scratch = "";

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("icl-prune-user-").FullName;

    [TearDown]
    public void DeleteScratch() => Directory.Delete(_scratch, recursive: true);

    [Test]
    public void PackTheSolution_FillsOneFeedWithTheThreePackagesAtOneVersion()
    {
        var tool = PackedFeed.Tool;
        Assert.That(Directory.GetFiles(tool.Feed, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { $"IclPrune.{tool.Version}.nupkg", $"IclPrune.IclAssertions.{tool.Version}.nupkg", $"IclPrune.Tool.{tool.Version}.nupkg" }),
            "tests, benchmarks and eval suites are not packable");
    }

    [Test]
    public void InitFromInstalledTool_OutsideCheckout_FailsOnCiThenAcceptedThenPassesOnCi()
    {
        var tool = PackedFeed.Tool;
        string suite = Path.Combine(_scratch, "my-evals");
        Assume.That(IclPrune.Tool.Commands.InitCommand.FindCheckout(_scratch), Is.Null, "the temp folder must be outside any checkout");

        ProcessRun.Start(tool.Executable, ["init", suite], _scratch, StepTimeout).AssertSucceeded("init without flags");

        var ciFirst = Test(tool, suite, ci: true, build: true);
        Assert.That(ciFirst.ExitCode, Is.Not.EqualTo(0), "no approved snapshot yet: CI must fail\n" + ciFirst.All);
        Assert.That(ciFirst.Output, Does.Contain("TinyModel_Synth2Way"));
        Assert.That(SnapshotFiles(suite), Is.Empty, "CI writes nothing");
        Assert.That(File.Exists(Path.Combine(suite, "bin", "Debug", "net10.0", "models", "tiny", "model.safetensors")), Is.True,
            "the IclPrune package copies the bundled model to the output");

        var local = Test(tool, suite, ci: false, build: false);
        Assert.That(local.ExitCode, Is.Not.EqualTo(0), local.All);
        Assert.That(SnapshotFiles(suite), Is.EqualTo(new[] { "MyEvalsTests.TinyModel_Synth2Way.received.json" }));

        ProcessRun.Start(tool.Executable, ["snapshots", "accept"], suite, StepTimeout).AssertSucceeded("snapshots accept");
        Assert.That(SnapshotFiles(suite), Is.EqualTo(new[] { "MyEvalsTests.TinyModel_Synth2Way.verified.json" }));

        Test(tool, suite, ci: true, build: false).AssertSucceeded("the rerun under CI=true after accepting");
    }

    /// <summary>`dotnet test` of the suite with this machine's NuGet packages as a fallback (see PackedTool) and
    /// no IclPrune switches inherited from the environment this test runs in.</summary>
    static ProcessRun Test(PackedTool tool, string suite, bool ci, bool build)
    {
        var environment = tool.NuGetEnvironment();
        environment["CI"] = ci ? "true" : "";
        foreach (string name in new[] { "ICL_PRUNE_ACCEPT", "ICL_PRUNE_DEVICE", "ICL_PRUNE_DTYPE", "ICL_PRUNE_MODELS" })
            environment[name] = "";
        string[] arguments = build ? ["test", suite, "-nologo"] : ["test", suite, "-nologo", "--no-build"];
        return ProcessRun.Start("dotnet", arguments, suite, StepTimeout, environment);
    }

    static string[] SnapshotFiles(string suite) =>
        Directory.GetFiles(suite, "*.json").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
}
