using System.Runtime.InteropServices;

namespace IclPrune.Output;

/// <summary>
/// fsync(2) on a folder, so that a rename into it survives a power loss (the rename is a change of the folder, and
/// only the folder's own fsync makes it durable; see the LWN article "Ensuring data reaches disk"). .NET cannot open
/// a directory as a FileStream, hence open/fsync/close from libc.
/// </summary>
internal static partial class FolderSync
{
    const int ReadOnly = 0; // O_RDONLY, the same on every Linux architecture

    public static void Flush(string folder)
    {
        try
        {
            int fd = Open(folder, ReadOnly);
            if (fd < 0) return; // best effort: the data itself is already fsynced, only the rename's durability is at stake
            try
            {
                Fsync(fd);
            }
            finally
            {
                Close(fd);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not Linux/glibc: the rename stands without the folder fsync.
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    private static partial int Close(int fd);
}
