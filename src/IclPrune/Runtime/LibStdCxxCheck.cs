using System.Text;
using System.Text.RegularExpressions;

namespace IclPrune.Runtime;

/// <summary>
/// The GLIBCXX_3.4.32 check (../shared/TORCHSHARP.md): which GLIBCXX versions LibTorchSharp needs that the system
/// libstdc++ lacks, and whether the build marked them weak (harmless) or left them hard (the library won't load).
/// </summary>
public sealed partial record LibStdCxxCheck(string? SystemLibrary, string? HighestSystemVersion,
    IReadOnlyList<ElfVersionNeed> MissingNeeds)
{
    public bool Ok => MissingNeeds.All(n => n.IsWeak);

    public string Summary => MissingNeeds.Count == 0
        ? $"ok (system libstdc++ provides every GLIBCXX version LibTorchSharp needs; highest {HighestSystemVersion ?? "unknown"})"
        : string.Join("; ", MissingNeeds.Select(n =>
            $"{n.VersionName} missing from system libstdc++ (highest {HighestSystemVersion ?? "unknown"}): " +
            (n.IsWeak ? "marked weak by the build, loads fine" : "NOT patched, LibTorchSharp will fail to load")));

    public static LibStdCxxCheck Run(string libTorchSharpPath)
    {
        string? system = LoadedLibraries.PathOf("libstdc++.so.6") ?? FirstExisting(
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6");
        var provided = system is null ? new HashSet<string>() : ProvidedVersions(system);
        var missing = ElfVersionNeeds.Read(libTorchSharpPath)
            .Where(n => n.VersionName.StartsWith("GLIBCXX_", StringComparison.Ordinal) && !provided.Contains(n.VersionName))
            .ToList();
        string? highest = provided.OrderBy(v => v, Comparer<string>.Create(CompareVersions)).LastOrDefault();
        return new LibStdCxxCheck(system, highest, missing);
    }

    static HashSet<string> ProvidedVersions(string library)
    {
        // The version definitions are plain strings in .dynstr; a scan is simpler than walking SHT_GNU_verdef and
        // finds exactly the names ld.so matches against.
        string text = Encoding.ASCII.GetString(File.ReadAllBytes(library));
        return GlibcxxVersion().Matches(text).Select(m => m.Value).ToHashSet();
    }

    static int CompareVersions(string a, string b)
    {
        static int[] Parts(string v) => v["GLIBCXX_".Length..].Split('.').Select(int.Parse).ToArray();
        var (x, y) = (Parts(a), Parts(b));
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
            if (x[i] != y[i]) return x[i].CompareTo(y[i]);
        return x.Length.CompareTo(y.Length);
    }

    static string? FirstExisting(params string[] paths) => paths.FirstOrDefault(File.Exists);

    [GeneratedRegex(@"GLIBCXX_\d+\.\d+(\.\d+)?(?=\0)")]
    private static partial Regex GlibcxxVersion();
}
