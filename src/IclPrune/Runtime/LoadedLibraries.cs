namespace IclPrune.Runtime;

/// <summary>Where the process actually mapped a shared library from (read from /proc/self/maps).</summary>
public static class LoadedLibraries
{
    public static string? PathOf(string fileName)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        foreach (var line in File.ReadLines(maps))
        {
            int slash = line.IndexOf('/');
            if (slash < 0) continue;
            string path = line[slash..];
            if (Path.GetFileName(path) == fileName) return path;
        }
        return null;
    }
}
