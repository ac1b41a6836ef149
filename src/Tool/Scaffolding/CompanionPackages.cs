namespace IclPrune.Tool.Scaffolding;

/// <summary>
/// The two library packages an eval suite outside a checkout restores: IclPrune and IclPrune.IclAssertions, at the
/// tool's own version. The tool package carries them in packages/ beside the tool (Tool.csproj,
/// IclPruneCompanionPackages); `init` copies them into the new suite's packages/ folder, which the generated
/// nuget.config names by a relative path, so the suite restores on any machine (a CI runner included) from its own
/// files plus nuget.org, with no IclPrune tool or feed installed there.
/// </summary>
static class CompanionPackages
{
    public static readonly string[] Ids = ["IclPrune", "IclPrune.IclAssertions"];

    /// <summary>The suite's feed folder, relative to the suite (and to its nuget.config).</summary>
    public const string SuiteFolder = "packages";

    /// <summary>packages/ beside the running tool: present in the installed tool package and in `dotnet publish` output.</summary>
    public static string BesideTool => Path.Combine(AppContext.BaseDirectory, SuiteFolder);

    public static string FileName(string id, string version) => $"{id}.{version}.nupkg";

    public static bool AreIn(string folder, string version) =>
        Ids.All(id => File.Exists(Path.Combine(folder, FileName(id, version))));

    /// <summary>Copies both packages from <paramref name="feed"/> into <paramref name="suiteFolder"/>/packages; names what is missing.</summary>
    public static IReadOnlyList<string> CopyTo(string feed, string version, string suiteFolder)
    {
        string[] missing = Ids.Select(id => FileName(id, version)).Where(f => !File.Exists(Path.Combine(feed, f))).ToArray();
        if (missing.Length > 0)
        {
            string present = Directory.Exists(feed)
                ? string.Join(", ", Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).Order(StringComparer.Ordinal))
                : "the folder does not exist";
            throw new UsageException(
                $"package feed {feed} lacks {string.Join(" and ", missing)} (this tool is version {version}); found: " +
                $"{(present.Length > 0 ? present : "no .nupkg files")}. Fill it with `dotnet pack Tool.sln -c Release -o {feed}` in an IclPrune checkout.");
        }
        string target = Directory.CreateDirectory(Path.Combine(suiteFolder, SuiteFolder)).FullName;
        return Ids.Select(id =>
        {
            string file = Path.Combine(target, FileName(id, version));
            File.Copy(Path.Combine(feed, FileName(id, version)), file);
            return file;
        }).ToList();
    }
}
