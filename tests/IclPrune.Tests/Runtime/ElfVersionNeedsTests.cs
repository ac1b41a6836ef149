using System.Security.Cryptography;
using IclPrune.Runtime;

namespace IclPrune.Tests.Runtime;

/// <summary>
/// The GLIBCXX_3.4.32 fix (build/ElfVersionNeeds.cs): checked on the real libLibTorchSharp.so that the build copied
/// next to this test assembly, and on scratch copies that the test un-patches and re-patches.
/// </summary>
public class ElfVersionNeedsTests
{
    const string Version = "GLIBCXX_3.4.32";
    static string NativeFolder => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
    static string BuiltLibTorchSharp => Path.Combine(NativeFolder, "libLibTorchSharp.so");

    string _scratch = "";

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("elf-test-").FullName;

    [TearDown]
    public void DeleteScratch() => Directory.Delete(_scratch, recursive: true);

    [Test]
    public void Read_BuiltLibTorchSharp_NeedIsMarkedWeakByTheBuild()
    {
        var need = ElfVersionNeeds.Read(BuiltLibTorchSharp).Single(n => n.VersionName == Version);

        Assert.That(need.FromFile, Is.EqualTo("libstdc++.so.6"));
        Assert.That(need.IsWeak, Is.True, "the build must patch libLibTorchSharp.so before copying it");
    }

    [Test]
    public void MarkWeak_UnpatchedCopy_ChangesOnlyTheTwoFlagBytesAndIsIdempotent()
    {
        string copy = Path.Combine(_scratch, "libLibTorchSharp.so");
        File.Copy(BuiltLibTorchSharp, copy);
        var need = ElfVersionNeeds.Read(copy).Single(n => n.VersionName == Version);
        byte[] patched = File.ReadAllBytes(copy);
        byte[] unpatched = (byte[])patched.Clone();
        unpatched[need.FlagsOffset] &= unchecked((byte)~0x2);
        File.WriteAllBytes(copy, unpatched);
        Assert.That(ElfVersionNeeds.Read(copy).Single(n => n.VersionName == Version).IsWeak, Is.False);

        bool first = ElfVersionNeeds.MarkWeak(copy, Version);
        byte[] afterFirst = File.ReadAllBytes(copy);
        bool second = ElfVersionNeeds.MarkWeak(copy, Version);

        Assert.That(first, Is.True);
        Assert.That(second, Is.False, "a weak need is left alone");
        Assert.That(afterFirst, Is.EqualTo(patched));
        var changed = Enumerable.Range(0, unpatched.Length).Where(i => unpatched[i] != afterFirst[i]).ToList();
        Assert.That(changed, Is.EqualTo(new[] { (int)need.FlagsOffset }));
        Assert.That(File.ReadAllBytes(copy), Is.EqualTo(afterFirst));
    }

    [Test]
    public void MarkWeak_LibraryWithoutThatNeed_IsNotTouched()
    {
        string copy = Path.Combine(_scratch, "libc10.so");
        File.Copy(Path.Combine(NativeFolder, "libc10.so"), copy);
        byte[] before = SHA256.HashData(File.ReadAllBytes(copy));
        DateTime written = File.GetLastWriteTimeUtc(copy);

        bool changed = ElfVersionNeeds.MarkWeak(copy, Version);

        Assert.That(changed, Is.False);
        Assert.That(SHA256.HashData(File.ReadAllBytes(copy)), Is.EqualTo(before));
        Assert.That(File.GetLastWriteTimeUtc(copy), Is.EqualTo(written));
    }

    [Test]
    public void Read_NotAnElfFile_ThrowsNamingTheFile()
    {
        string text = Path.Combine(_scratch, "notes.txt");
        File.WriteAllText(text, "this is not a shared library, just some text long enough for a header..........");

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(text));
        Assert.That(error!.Message, Does.Contain(text).And.Contain("not an ELF file"));
    }
}
