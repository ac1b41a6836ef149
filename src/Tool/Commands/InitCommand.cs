using System.CommandLine;
using System.Reflection;
using IclPrune.Output;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Scaffolding;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `init DIR`: scaffold an eval-suite project (csproj, one example test, .runsettings, .gitignore for received files).
/// Inside an IclPrune checkout it references src/IclAssertions; anywhere else the IclPrune.IclAssertions package,
/// whose two .nupkg files it copies into DIR/packages from the tool's own packages/ folder (or --package-feed).
/// </summary>
public sealed class InitCommand : Command
{
    static readonly Argument<string> Folder = new("DIR") { Description = "Folder for the new eval-suite project (created; must be empty if it exists)." };

    static readonly Option<string?> Package = new("--package-feed")
    {
        Description = "Take the IclPrune and IclPrune.IclAssertions packages from this folder, even inside an IclPrune checkout " +
                      "(default outside a checkout: the packages shipped inside this tool, else artifacts/packages of the checkout it runs from).",
        HelpName = "FOLDER",
    };

    readonly CliConsole _console;

    public InitCommand(CliConsole console) : base("init", "Create an NUnit eval-suite project that uses IclAssertions (docs/assertions.md).")
    {
        _console = console;
        Arguments.Add(Folder);
        Options.Add(Package);
        SetAction((parse, _) => Task.FromResult(Execute(parse)));
    }

    int Execute(ParseResult parse)
    {
        string folder = Path.GetFullPath(parse.GetValue(Folder)!);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new UsageException($"{folder} is not empty; init writes a new project into an empty or new folder.");
        string name = ProjectName(folder);
        string? feed = parse.GetValue(Package);
        string? repo = feed is null ? FindCheckout(folder) : null;

        string version = ToolVersion();
        var files = new Dictionary<string, string>
        {
            [".gitignore"] = EvalSuiteTemplate.GitIgnore,
            [".runsettings"] = EvalSuiteTemplate.RunSettings,
            [$"{ClassPrefix(name)}Tests.cs"] = EvalSuiteTemplate.ExampleTest(name, $"{ClassPrefix(name)}Tests"),
        };
        if (repo is not null)
        {
            string assertions = Path.GetRelativePath(folder, Path.Combine(repo, "src", "IclAssertions", "IclAssertions.csproj"));
            files[$"{name}.csproj"] = EvalSuiteTemplate.InRepoProject(assertions.Replace('\\', '/'));
        }
        else
        {
            feed ??= DefaultFeed(version) ?? throw new UsageException(
                $"{folder} is outside an IclPrune checkout and this tool carries no packages/ folder (a build, not an installed " +
                "package); pass --package-feed FOLDER (filled by `dotnet pack Tool.sln -c Release -o FOLDER` in a checkout).");
            feed = Path.GetFullPath(feed);
            files[$"{name}.csproj"] = EvalSuiteTemplate.PackageProject(version);
            files["nuget.config"] = EvalSuiteTemplate.NuGetConfig(CompanionPackages.SuiteFolder);
        }

        AtomicFile.CreateFolder(folder);
        var written = new List<string>();
        if (feed is not null) written.AddRange(CompanionPackages.CopyTo(feed, version, folder)); // first: a bad feed leaves no half suite
        foreach (var (file, text) in files)
        {
            AtomicFile.WriteAllText(Path.Combine(folder, file), text);
            written.Add(Path.Combine(folder, file));
        }
        foreach (string file in written.Order(StringComparer.Ordinal)) _console.Output.WriteLine(file);
        _console.Error.WriteLine(repo is not null
            ? $"eval suite {name} created (ProjectReference into {repo}); add it to your solution: dotnet sln add {Path.Combine(folder, name + ".csproj")}"
            : $"eval suite {name} created (IclPrune.IclAssertions {version}, copied from {feed} into {CompanionPackages.SuiteFolder}/; commit that folder); " +
              $"run it with dotnet test {folder}");
        return ExitCodes.Success;
    }

    /// <summary>The IclPrune checkout containing <paramref name="folder"/>: the nearest ancestor with Tool.sln and src/IclAssertions.</summary>
    internal static string? FindCheckout(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tool.sln")) &&
                File.Exists(Path.Combine(dir.FullName, "src", "IclAssertions", "IclAssertions.csproj")))
                return dir.FullName;
        return null;
    }

    /// <summary>The packages shipped inside this tool, else the artifacts/packages feed of the checkout it runs from.</summary>
    static string? DefaultFeed(string version)
    {
        if (CompanionPackages.AreIn(CompanionPackages.BesideTool, version)) return CompanionPackages.BesideTool;
        string? repo = FindCheckout(AppContext.BaseDirectory);
        string? feed = repo is null ? null : Path.Combine(repo, "artifacts", "packages");
        return feed is not null && Directory.Exists(feed) ? feed : null;
    }

    static string ProjectName(string folder)
    {
        string leaf = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        var chars = leaf.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '_').ToArray();
        string name = new(chars);
        if (name.Length == 0 || char.IsDigit(name[0])) name = "EvalSuite" + name;
        return name;
    }

    static string ClassPrefix(string projectName) =>
        string.Concat(projectName.Split('.', '_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    /// <summary>The package version this tool was packed with (informational version without the +commit suffix), so
    /// prerelease versions such as 0.2.0-rc.1 survive.</summary>
    internal static string ToolVersion()
    {
        string? informational = typeof(InitCommand).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? typeof(InitCommand).Assembly.GetName().Version!.ToString(3);
    }
}
