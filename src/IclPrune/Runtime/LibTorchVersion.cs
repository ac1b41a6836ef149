using System.Text.RegularExpressions;

namespace IclPrune.Runtime;

/// <summary>Finds the version of the libtorch in use from the files that ship beside it.</summary>
public static partial class LibTorchVersion
{
    /// <summary>The libtorch version TorchSharp 0.107.0 was built against (its release notes).</summary>
    public const string ExpectedByTorchSharp = "2.10.0";

    /// <summary>
    /// Reads the version beside a libtorch lib folder: PyTorch's torch/version.py (__version__ = '2.10.0+cu128'),
    /// a libtorch zip's build-version file, or the NuGet package folder name (libtorch-cpu-linux-x64/2.10.0/...).
    /// Returns null when none is found.
    /// </summary>
    public static string? FromLibFolder(string libFolder)
    {
        string? parent = Path.GetDirectoryName(Path.GetFullPath(libFolder).TrimEnd('/'));
        if (parent is not null)
        {
            string versionPy = Path.Combine(parent, "version.py");
            if (File.Exists(versionPy))
            {
                var match = VersionAssignment().Match(File.ReadAllText(versionPy));
                if (match.Success) return match.Groups[1].Value;
            }
            string buildVersion = Path.Combine(parent, "build-version");
            if (File.Exists(buildVersion)) return File.ReadAllText(buildVersion).Trim();
        }
        var package = PackageFolder().Match(libFolder);
        return package.Success ? package.Groups[1].Value : null;
    }

    /// <summary>True when the major.minor of <paramref name="version"/> differs from what TorchSharp was built for.</summary>
    public static bool DiffersFromExpected(string version)
    {
        static string MajorMinor(string v) => string.Join('.', v.Split('+')[0].Split('.').Take(2));
        return MajorMinor(version) != MajorMinor(ExpectedByTorchSharp);
    }

    [GeneratedRegex(@"__version__\s*=\s*['""]([^'""]+)['""]")]
    private static partial Regex VersionAssignment();

    [GeneratedRegex(@"libtorch-[a-z0-9.\-]+?/(\d+\.\d+\.\d+)/")]
    private static partial Regex PackageFolder();
}
