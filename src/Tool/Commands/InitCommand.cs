using System.CommandLine;
using IclPrune.Output;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Scaffolding;

namespace IclPrune.Tool.Commands;

/// <summary>`init DIR`: scaffold an eval-suite project (csproj, one example test, .gitignore for received files).</summary>
public sealed class InitCommand : Command
{
    static readonly Argument<string> Folder = new("DIR") { Description = "Folder for the new eval-suite project (created; must be empty if it exists)." };

    static readonly Option<string?> Package = new("--package-feed")
    {
        Description = "Reference IclPrune.IclAssertions as a NuGet package from this feed folder, even inside an IclPrune checkout " +
                      "(default outside a checkout: the artifacts/packages folder of the checkout this tool was built from, if any).",
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

        var files = new Dictionary<string, string>
        {
            [".gitignore"] = EvalSuiteTemplate.GitIgnore,
            [$"{ClassPrefix(name)}Tests.cs"] = EvalSuiteTemplate.ExampleTest(name, $"{ClassPrefix(name)}Tests"),
        };
        if (repo is not null)
        {
            string assertions = Path.GetRelativePath(folder, Path.Combine(repo, "src", "IclAssertions", "IclAssertions.csproj"));
            files[$"{name}.csproj"] = EvalSuiteTemplate.InRepoProject(assertions.Replace('\\', '/'));
        }
        else
        {
            feed ??= DefaultFeed() ?? throw new UsageException(
                $"{folder} is outside an IclPrune checkout and no package feed is known; pass --package-feed FOLDER " +
                "(a folder holding IclPrune.IclAssertions.*.nupkg, made by `dotnet pack` in a checkout).");
            files[$"{name}.csproj"] = EvalSuiteTemplate.PackageProject(ToolVersion());
            files["nuget.config"] = EvalSuiteTemplate.NuGetConfig(Path.GetFullPath(feed));
        }

        AtomicFile.CreateFolder(folder);
        foreach (var (file, text) in files) AtomicFile.WriteAllText(Path.Combine(folder, file), text);
        foreach (string file in files.Keys.Order(StringComparer.Ordinal)) _console.Output.WriteLine(Path.Combine(folder, file));
        _console.Error.WriteLine(repo is not null
            ? $"eval suite {name} created (ProjectReference into {repo}); add it to your solution: dotnet sln add {Path.Combine(folder, name + ".csproj")}"
            : $"eval suite {name} created (package IclPrune.IclAssertions {ToolVersion()} from {feed}); run it with dotnet test {folder}");
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

    /// <summary>The artifacts/packages feed of the checkout this tool runs from, when it runs from one.</summary>
    static string? DefaultFeed()
    {
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

    static string ToolVersion() =>
        typeof(InitCommand).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";
}
