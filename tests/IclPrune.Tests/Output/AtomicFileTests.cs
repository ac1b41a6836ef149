using System.Diagnostics;
using IclPrune.Output;
using IclPrune.Tests.Evaluation;

namespace IclPrune.Tests.Output;

/// <summary>The one atomic writer, on real files, devices, links and unwritable places.</summary>
public class AtomicFileTests
{
    static string[] Files(TempFolder folder) =>
        Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).Order().ToArray()!;

    [Test]
    public void WriteAllText_ParallelWritersAndReaders_NeverSeeAPartialFile()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "A.B.verified.json");
        // Each writer writes a 200 kB file of one repeated letter; a torn write would mix letters or cut the length.
        var contents = Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 200_000)).ToArray();
        AtomicFile.WriteAllText(path, contents[0]);
        int torn = 0;
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (i % 2 == 0) AtomicFile.WriteAllText(path, contents[i % 8]);
            else
            {
                string read = File.ReadAllText(path);
                if (read.Length != 200_000 || read.Distinct().Count() != 1) Interlocked.Increment(ref torn);
            }
        });
        Assert.That(torn, Is.Zero);
        Assert.That(Files(folder), Is.EqualTo(new[] { "A.B.verified.json" }), "no temp file is left behind");
    }

    [Test]
    public void Write_WriterThrowsHalfway_KeepsTheOldFileAndNoTemp()
    {
        using var folder = new TempFolder();
        string path = folder.Write("results.json", "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("new, half"u8);
            throw new InvalidOperationException("killed");
        }));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(Files(folder), Is.EqualTo(new[] { "results.json" }));
    }

    [Test]
    public void WriteAllText_CharacterDevice_RefusedAndTheDeviceStays()
    {
        var e = Assert.Throws<IclPruneException>(() => AtomicFile.WriteAllText("/dev/null", "x"));
        Assert.That(e!.Message, Does.Contain("/dev/null").And.Contain("a character device").And.Contain("not a regular file"));
        Assert.That(FileKinds.Of("/dev/null"), Is.EqualTo(FileKind.CharacterDevice));
    }

    [Test]
    public void WriteAllText_Directory_Refused()
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<IclPruneException>(() => AtomicFile.WriteAllText(folder.Path, "x"));
        Assert.That(e!.Message, Does.Contain(folder.Path).And.Contain("a directory"));
    }

    [Test]
    public void WriteAllText_NamedPipe_RefusedWithoutBlocking()
    {
        using var folder = new TempFolder();
        string fifo = Path.Combine(folder.Path, "pipe");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        var e = Assert.Throws<IclPruneException>(() => AtomicFile.WriteAllText(fifo, "x"));
        Assert.That(e!.Message, Does.Contain("named pipe"));
        Assert.That(FileKinds.Of(fifo), Is.EqualTo(FileKind.Fifo));
    }

    [Test]
    public void WriteAllText_Symlink_WritesThroughToItsTargetAndKeepsTheLink()
    {
        using var folder = new TempFolder();
        string real = folder.Write("real.json", "old");
        string link = Path.Combine(folder.Path, "link.json");
        File.CreateSymbolicLink(link, real);

        AtomicFile.WriteAllText(link, "new");

        Assert.That(FileKinds.Of(link), Is.EqualTo(FileKind.Symlink), "the link is not replaced by a regular file");
        Assert.That(File.ReadAllText(real), Is.EqualTo("new"));
    }

    [Test]
    public void WriteAllText_SymlinkToADevice_RefusedNamingTheTarget()
    {
        using var folder = new TempFolder();
        string link = Path.Combine(folder.Path, "out.json");
        File.CreateSymbolicLink(link, "/dev/null");
        var e = Assert.Throws<IclPruneException>(() => AtomicFile.WriteAllText(link, "x"));
        Assert.That(e!.Message, Does.Contain("link target /dev/null").And.Contain("character device"));
    }

    [TestCase("/proc/x")]
    [TestCase("/proc/self/no-such-folder/out.json")]
    [TestCase("/sys/x")]
    public void WriteAllText_UnwritablePlace_ClearErrorNamingThePath(string path)
    {
        // Tests run as root in CI, so chmod cannot make a folder read-only; /proc and /sys refuse even root.
        var e = Assert.Throws<IclPruneException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.That(e!.Message, Does.StartWith($"cannot write {path}:"));
    }

    [Test]
    public void WriteAllText_MissingFolders_CreatedWithTheFile()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "a", "b", "c.txt");
        AtomicFile.WriteAllText(path, "x");
        Assert.That(File.ReadAllText(path), Is.EqualTo("x"));
    }

    [Test]
    public void MoveOver_CompleteFile_ReplacesTheTarget()
    {
        using var folder = new TempFolder();
        string received = folder.Write("a.received.json", "new");
        string verified = folder.Write("a.verified.json", "old");
        AtomicFile.MoveOver(received, verified);
        Assert.That(File.ReadAllText(verified), Is.EqualTo("new"));
        Assert.That(File.Exists(received), Is.False);
    }
}
