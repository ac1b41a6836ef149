using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Install;

/// <summary>
/// What the README's install steps produce, made once per test run and shared by the install tests: the feed that
/// `dotnet pack Tool.sln -c Release -o FEED` fills (from a scratch copy of the sources, so this checkout's bin/obj
/// stay untouched), and IclPrune.Tool installed from it into a scratch tool path. Packing takes minutes and writes
/// 235 MB, hence once. The version is unique per run (0.1.0-e2e.TIMESTAMP): NuGet caches a package by id and
/// version, so a stale IclPrune 0.1.0 in a packages folder could otherwise stand in for the one just packed.
/// </summary>
[SetUpFixture]
public sealed class PackedFeed
{
    static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);
    static readonly Lazy<PackedTool> Instance = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Packs and installs on first use; a failure fails every test that asks, with the pack's output.</summary>
    public static PackedTool Tool => Instance.Value;

    [OneTimeTearDown]
    public void DeleteScratch()
    {
        if (Instance.IsValueCreated) Directory.Delete(Instance.Value.Root, recursive: true);
    }

    static PackedTool Pack()
    {
        string root = Directory.CreateTempSubdirectory("icl-prune-packed-").FullName;
        string sources = RepositoryLayout.CopySolutionTo(Directory.CreateDirectory(Path.Combine(root, "src-copy")).FullName);
        string version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var tool = new PackedTool(root, version);

        ProcessRun.Start("dotnet", ["pack", "Tool.sln", "-c", "Release", "-o", tool.Feed, $"-p:Version={version}", "-nologo"],
            sources, PackTimeout, tool.NuGetEnvironment()).AssertSucceeded("dotnet pack Tool.sln");
        ProcessRun.Start("dotnet", ["tool", "install", "IclPrune.Tool", "--version", version, "--tool-path", tool.ToolPath,
                "--add-source", tool.Feed], root, PackTimeout, tool.NuGetEnvironment())
            .AssertSucceeded("dotnet tool install");
        return tool;
    }
}

/// <summary>The packed feed and the installed tool under <see cref="Root"/>.</summary>
public sealed record PackedTool(string Root, string Version)
{
    public string Feed => Path.Combine(Root, "feed");
    public string ToolPath => Path.Combine(Root, "tools");
    public string Executable => Path.Combine(ToolPath, "dotnet-icl-prune");

    /// <summary>
    /// A scratch global packages folder, with this machine's as a read-only fallback: the packages just packed are
    /// extracted into the scratch folder only, and TorchSharp, libtorch and NUnit come from what the repository's own
    /// restore already downloaded (no second download of libtorch).
    /// </summary>
    public Dictionary<string, string> NuGetEnvironment() => new()
    {
        ["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-packages"),
        ["NUGET_FALLBACK_PACKAGES"] = MachinePackagesFolder,
    };

    static string MachinePackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
