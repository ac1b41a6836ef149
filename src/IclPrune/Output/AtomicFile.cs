using System.Text;

namespace IclPrune.Output;

/// <summary>
/// The one way this tool writes a file (results, reports, plots, exports, converted checkpoints, snapshots): into a
/// temporary file in the target's folder, fsync, rename over the target (rename(2) is atomic within a file system),
/// fsync the folder. A reader, or a run killed at any moment, sees the old file or the new one, never a torn or empty
/// one. Only a regular file (or nothing) is replaced: a directory, a device, a FIFO or a socket is refused with an error
/// that says what was found, and a symlink is written through (its final target is replaced, the link stays).
/// Every I/O failure (read-only or full disk, a folder that cannot be created, /proc) becomes an
/// <see cref="IclPruneException"/> naming the file.
/// </summary>
public static class AtomicFile
{
    static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Utf8NoBom.GetBytes(text));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Streams the content (a checkpoint of any size) through <paramref name="write"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string target = WritableTarget(path);
        string folder = Path.GetDirectoryName(target)!;
        Guard(path, () => Directory.CreateDirectory(folder));
        string temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Guard(path, () =>
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, target, overwrite: true);
            });
            FolderSync.Flush(folder);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Creates an output folder (and its parents), with the same clear error as a failed write.</summary>
    public static void CreateFolder(string folder) => Guard(folder, () => Directory.CreateDirectory(folder));

    /// <summary>Copies a file (a tokenizer, a config) to <paramref name="destination"/> with the same guarantees.</summary>
    public static void Copy(string source, string destination) => Write(destination, output =>
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read);
        input.CopyTo(output);
    });

    /// <summary>Renames <paramref name="source"/> over <paramref name="destination"/> (same file system), for a file
    /// that is already complete (an approved snapshot).</summary>
    public static void MoveOver(string source, string destination)
    {
        string target = WritableTarget(destination);
        Guard(destination, () => File.Move(source, target, overwrite: true));
        FolderSync.Flush(Path.GetDirectoryName(target)!);
    }

    /// <summary>The file that a write to <paramref name="path"/> replaces: the path itself, or the final target of a
    /// symlink. Refuses anything that exists and is not a regular file.</summary>
    public static string WritableTarget(string path)
    {
        string full = Guard(path, () => Path.GetFullPath(path));
        var kind = FileKinds.Of(full);
        string target = full;
        if (kind == FileKind.Symlink)
        {
            target = Guard(path, () => new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full);
            kind = FileKinds.Of(target);
        }
        if (kind is not (FileKind.Missing or FileKind.RegularFile))
            throw new IclPruneException(
                $"refusing to write {path}: {(target == full ? "it" : $"its link target {target}")} is {FileKinds.Describe(kind)}, not a regular file; name a file path instead.");
        return target;
    }

    static void Guard(string path, Action action) => Guard(path, () => { action(); return 0; });

    static T Guard<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new IclPruneException($"cannot write {path}: {e.Message}", e);
        }
    }

    static void TryDelete(string temp)
    {
        try
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leaving a hidden .tmp behind beats hiding the write's own error.
        }
    }
}
