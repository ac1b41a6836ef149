namespace IclPrune.Tool.Tests.Support;

/// <summary>Paths inside the repository this test assembly was built from.</summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>The built tool (framework-dependent), as `dotnet run --project src/Tool` would run it.</summary>
    public static string ToolAssembly => Path.Combine(AppContext.BaseDirectory, "IclPrune.Tool.dll");

    public static string NativeFolder => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tool.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Tool.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>
    /// Copies what a build needs (sources, build logic, SDK and NuGet settings) to a scratch folder, so a test can
    /// build, pack or publish with other properties without touching this checkout's bin/ and obj/.
    /// </summary>
    public static string CopySourcesTo(string destination)
    {
        foreach (var file in new[] { "global.json", "nuget.config", "Directory.Build.props", "Directory.Build.targets",
                     "Directory.Packages.props" })
            File.Copy(Path.Combine(Root, file), Path.Combine(destination, file));
        Directory.CreateDirectory(Path.Combine(destination, "artifacts", "packages"));
        CopyTree(Path.Combine(Root, "build"), Path.Combine(destination, "build"));
        CopyTree(Path.Combine(Root, "src"), Path.Combine(destination, "src"));
        return destination;
    }

    /// <summary>
    /// <see cref="CopySourcesTo"/> plus Tool.sln and every project it lists (tests, eval suites, benchmarks), so a
    /// test can run `dotnet pack Tool.sln` as the README does.
    /// </summary>
    public static string CopySolutionTo(string destination)
    {
        CopySourcesTo(destination);
        File.Copy(Path.Combine(Root, "Tool.sln"), Path.Combine(destination, "Tool.sln"));
        foreach (string folder in new[] { "tests", "eval-suites", "benchmarks" })
            CopyTree(Path.Combine(Root, folder), Path.Combine(destination, folder));
        return destination;
    }

    static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(source))
        {
            string name = Path.GetFileName(dir);
            if (name is "bin" or "obj" or "TestResults") continue;
            CopyTree(dir, Path.Combine(destination, name));
        }
    }
}
