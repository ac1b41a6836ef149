namespace IclAssertions.Snapshots;

/// <summary>
/// Whole-file writes that a reader never sees half done: write a temp file in the same folder, then rename over the
/// target (rename(2) is atomic within a file system). Parallel tests writing different snapshots never share a temp
/// name (a GUID), and two writers of the same snapshot leave one complete file, never a mix.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string contents)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, contents);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Renames <paramref name="source"/> over <paramref name="destination"/> (atomic, same folder).</summary>
    public static void Replace(string source, string destination) => File.Move(source, destination, overwrite: true);
}
