using System.Runtime.InteropServices;

namespace IclPrune.Output;

/// <summary>What a path names, without following a final symlink (lstat): the atomic writer replaces only regular files.</summary>
public enum FileKind
{
    Missing,
    RegularFile,
    Directory,
    Symlink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
    Other,
}

/// <summary>
/// Reads a path's file type with statx(2). .NET's FileSystemInfo reports directories and links but not devices,
/// FIFOs or sockets, and replacing /dev/null or a named pipe with a regular file is the bug this prevents
/// (issue 17). statx's struct layout is the same on every Linux architecture (include/uapi/linux/stat.h), unlike
/// struct stat, so one declaration serves x64 and arm64.
/// </summary>
public static partial class FileKinds
{
    const int AtFdCwd = -100;
    const int AtSymlinkNoFollow = 0x100;
    const uint StatxType = 0x1;
    const int StatxBufferBytes = 256; // sizeof(struct statx) is 256
    const int ModeOffset = 28;        // __u16 stx_mode

    public static FileKind Of(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxBufferBytes];
        int rc;
        try
        {
            rc = Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Fallback(path);
        }
        if (rc != 0)
            return Path.Exists(path) || IsLink(path) ? FileKind.Other : FileKind.Missing;
        int mode = BitConverter.ToUInt16(buffer[ModeOffset..]) & 0xF000; // S_IFMT
        return mode switch
        {
            0x8000 => FileKind.RegularFile,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.Symlink,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
    }

    /// <summary>"a directory", "a character device", ... for error messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.RegularFile => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Symlink => "a symbolic link",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };

    static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    /// <summary>Without statx (not Linux, or a libc without it): what .NET can tell.</summary>
    static FileKind Fallback(string path) =>
        IsLink(path) ? FileKind.Symlink
        : Directory.Exists(path) ? FileKind.Directory
        : File.Exists(path) ? FileKind.RegularFile
        : FileKind.Missing;

    [LibraryImport("libc.so.6", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, Span<byte> buffer);
}
