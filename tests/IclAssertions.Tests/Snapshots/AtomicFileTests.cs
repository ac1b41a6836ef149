using IclAssertions.Snapshots;
using IclAssertions.Tests.Support;

namespace IclAssertions.Tests.Snapshots;

public class AtomicFileTests
{
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
        Assert.That(folder.Files(), Is.EqualTo(new[] { "A.B.verified.json" }), "no temp file is left behind");
    }
}
