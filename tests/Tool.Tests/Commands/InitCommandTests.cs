using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

public class InitCommandTests
{
    string _root = null!;

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), "icl-init-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    /// <summary>The generated text and the copy; tests/Tool.Tests/Install restores, builds and runs such a suite for real.</summary>
    [Test]
    public async Task Init_OutsideCheckoutWithFeed_WritesPackageProjectAndCopiesThePackages()
    {
        string feed = Directory.CreateDirectory(Path.Combine(_root, "feed")).FullName;
        string version = IclPrune.Tool.Commands.InitCommand.ToolVersion();
        foreach (string id in new[] { "IclPrune", "IclPrune.IclAssertions", "IclPrune.Tool" })
            File.WriteAllText(Path.Combine(feed, $"{id}.{version}.nupkg"), id);
        string suite = Path.Combine(_root, "my-evals");

        var run = await CliRun.InvokeAsync("init", suite, "--package-feed", feed);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(Directory.GetFiles(suite).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { ".gitignore", ".runsettings", "MyEvalsTests.cs", "my_evals.csproj", "nuget.config" }));
        Assert.That(Directory.GetFiles(Path.Combine(suite, "packages")).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { $"IclPrune.{version}.nupkg", $"IclPrune.IclAssertions.{version}.nupkg" }), "the libraries only, not the tool");
        string csproj = File.ReadAllText(Path.Combine(suite, "my_evals.csproj"));
        Assert.That(csproj, Does.Contain("<PackageReference Include=\"IclPrune.IclAssertions\" Version=\"[$(IclPruneVersion)]\" />")
            .And.Contain($"<IclPruneVersion Condition=\"'$(IclPruneVersion)' == ''\">{version}</IclPruneVersion>"));
        Assert.That(csproj, Does.Contain("<RunSettingsFilePath>$(MSBuildProjectDirectory)/.runsettings</RunSettingsFilePath>"));
        Assert.That(File.ReadAllText(Path.Combine(suite, "nuget.config")), Does.Contain("value=\"packages\""),
            "relative, so the committed suite restores on any machine");
        Assert.That(File.ReadAllText(Path.Combine(suite, ".gitignore")), Does.Contain("*.received.json"));
    }

    [Test]
    public async Task Init_FeedWithoutTheLibraries_IsUsageErrorNamingThemAndWritesNothing()
    {
        string feed = Directory.CreateDirectory(Path.Combine(_root, "feed")).FullName;
        string suite = Path.Combine(_root, "my-evals");

        var run = await CliRun.InvokeAsync("init", suite, "--package-feed", feed);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain(feed).And.Contain("IclPrune.IclAssertions.").And.Contain("dotnet pack Tool.sln"));
        Assert.That(Directory.Exists(suite) ? Directory.EnumerateFileSystemEntries(suite) : [], Is.Empty);
    }

    [Test]
    public void RunSettings_AsGenerated_IsValidXmlWithEveryParameterCommentedOut()
    {
        var settings = System.Xml.Linq.XDocument.Parse(IclPrune.Tool.Scaffolding.EvalSuiteTemplate.RunSettings);
        Assert.That(settings.Root!.Element("TestRunParameters"), Is.Not.Null);
        Assert.That(settings.Descendants("Parameter"), Is.Empty, "defaults until the user opts in");
        Assert.That(IclPrune.Tool.Scaffolding.EvalSuiteTemplate.RunSettings, Does.Contain("name=\"device\"").And.Contain("name=\"dtype\"")
            .And.Contain("name=\"model.tiny\"").And.Contain("ICL_PRUNE_DEVICE"));
    }

    [Test]
    public async Task Init_NonEmptyFolder_IsUsageError()
    {
        File.WriteAllText(Path.Combine(_root, "x.txt"), "x");
        var run = await CliRun.InvokeAsync("init", _root);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain("is not empty"));
    }

    /// <summary>The one slow test: a generated suite inside a copy of this checkout builds as generated (~1-2 min).</summary>
    [Test]
    public async Task Init_InsideCheckout_GeneratedProjectBuilds()
    {
        string checkout = RepositoryLayout.CopySourcesTo(_root);
        File.Copy(Path.Combine(RepositoryLayout.Root, "Tool.sln"), Path.Combine(checkout, "Tool.sln"));
        string suite = Path.Combine(checkout, "eval-suites", "Sample.Evals");

        var run = await CliRun.InvokeAsync("init", suite);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        string csproj = File.ReadAllText(Path.Combine(suite, "Sample.Evals.csproj"));
        Assert.That(csproj, Does.Contain("<ProjectReference Include=\"../../src/IclAssertions/IclAssertions.csproj\" />"));
        ProcessRun.Start("dotnet", ["build", suite, "-nologo", "-v", "q"], checkout, TimeSpan.FromMinutes(8))
            .AssertSucceeded("dotnet build of the generated eval suite");
    }
}
