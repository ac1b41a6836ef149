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

    [Test]
    public async Task Init_OutsideCheckoutWithFeed_WritesPackageProject()
    {
        string suite = Path.Combine(_root, "my-evals");
        var run = await CliRun.InvokeAsync("init", suite, "--package-feed", _root);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(Directory.GetFiles(suite).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { ".gitignore", "MyEvalsTests.cs", "my_evals.csproj", "nuget.config" }));
        Assert.That(File.ReadAllText(Path.Combine(suite, "my_evals.csproj")), Does.Contain("<PackageReference Include=\"IclPrune.IclAssertions\" Version=\"0.1.0\" />"));
        Assert.That(File.ReadAllText(Path.Combine(suite, "nuget.config")), Does.Contain($"value=\"{_root}\""));
        Assert.That(File.ReadAllText(Path.Combine(suite, ".gitignore")), Does.Contain("*.received.json"));
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
