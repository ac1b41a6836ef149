// Reads and edits the GNU version-need records (SHT_GNU_verneed) of an ELF64 little-endian shared library.
// Written by hand: no served package edits ELF symbol-version records, and the job is ~100 lines.
//
// Why it exists: TorchSharp's libLibTorchSharp.so is linked by GCC 13+ and asks for GLIBCXX_3.4.32 for a single
// symbol, std::ios_base_library_init(), a link anchor that is never called. Debian 12 / Ubuntu 22.04 stop at
// GLIBCXX_3.4.30, so the library fails to load. Setting VER_FLG_WEAK on that one need turns the hard failure into
// a loader warning (../shared/TORCHSHARP.md). This file is compiled twice: into the build as an MSBuild inline task
// (build/GlibcxxPatch.targets) and into src/IclPrune, where `doctor` uses the reader (ICLPRUNE_CORE is defined there).
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace IclPrune.Runtime
{
    /// <summary>One version a shared library needs from another (an ELF Vernaux record).</summary>
    /// <remarks>A class, not a record: MSBuild compiles this file for netstandard, which has no init accessors.</remarks>
    public sealed class ElfVersionNeed
    {
        public ElfVersionNeed(string fromFile, string versionName, bool isWeak, long flagsOffset)
        {
            FromFile = fromFile;
            VersionName = versionName;
            IsWeak = isWeak;
            FlagsOffset = flagsOffset;
        }

        public string FromFile { get; }
        public string VersionName { get; }
        public bool IsWeak { get; }
        public long FlagsOffset { get; }
    }

    public static class ElfVersionNeeds
    {
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlagWeak = 0x2;

        /// <summary>All version needs of the ELF file at <paramref name="path"/>.</summary>
        public static IReadOnlyList<ElfVersionNeed> Read(string path)
        {
            byte[] elf = File.ReadAllBytes(path);
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException($"{path} is not an ELF file.");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");

            long sectionTable = Int64(elf, 0x28);
            int sectionSize = UInt16(elf, 0x3A);
            int sectionCount = UInt16(elf, 0x3C);
            var needs = new List<ElfVersionNeed>();
            for (int i = 0; i < sectionCount; i++)
            {
                long header = sectionTable + (long)i * sectionSize;
                CheckRange(elf, header, 64, path);
                if (UInt32(elf, header + 4) != ShtGnuVerneed) continue;

                long offset = Int64(elf, header + 24);
                int stringSection = (int)UInt32(elf, header + 40);
                int entryCount = (int)UInt32(elf, header + 44);
                long stringTable = Int64(elf, sectionTable + (long)stringSection * sectionSize + 24);

                long need = offset;
                for (int n = 0; n < entryCount; n++)
                {
                    CheckRange(elf, need, 16, path);
                    int auxCount = UInt16(elf, need + 2);
                    string file = CString(elf, stringTable + UInt32(elf, need + 4), path);
                    long aux = need + UInt32(elf, need + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        CheckRange(elf, aux, 16, path);
                        ushort flags = UInt16(elf, aux + 4);
                        string name = CString(elf, stringTable + UInt32(elf, aux + 8), path);
                        needs.Add(new ElfVersionNeed(file, name, (flags & VerFlagWeak) != 0, aux + 4));
                        aux += UInt32(elf, aux + 12);
                    }
                    need += UInt32(elf, need + 12);
                }
            }
            return needs;
        }

        /// <summary>
        /// Marks the need for <paramref name="versionName"/> weak. Returns true when the file was changed, false when
        /// it had no such need or it was weak already (so running it twice changes nothing).
        /// </summary>
        public static bool MarkWeak(string path, string versionName)
        {
            bool changed = false;
            foreach (var need in Read(path))
            {
                if (need.VersionName != versionName || need.IsWeak) continue;
                using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
                var buffer = new byte[2];
                stream.Position = need.FlagsOffset;
                if (stream.Read(buffer, 0, 2) != 2) throw new InvalidDataException($"{path}: cannot read version-need flags.");
                ushort flags = (ushort)(buffer[0] | buffer[1] << 8 | VerFlagWeak);
                buffer[0] = (byte)flags;
                buffer[1] = (byte)(flags >> 8);
                stream.Position = need.FlagsOffset;
                stream.Write(buffer, 0, 2);
                changed = true;
            }
            return changed;
        }

        static void CheckRange(byte[] elf, long offset, int length, string path)
        {
            if (offset < 0 || offset + length > elf.Length)
                throw new InvalidDataException($"{path}: ELF record at offset {offset} runs past the end of the file.");
        }

        static ushort UInt16(byte[] b, long o) => (ushort)(b[o] | b[o + 1] << 8);
        static uint UInt32(byte[] b, long o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
        static long Int64(byte[] b, long o) => (long)(UInt32(b, o) | (ulong)UInt32(b, o + 4) << 32);

        static string CString(byte[] b, long o, string path)
        {
            CheckRange(b, o, 1, path);
            long end = o;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }
}

#if !ICLPRUNE_CORE
namespace IclPrune.Build
{
    /// <summary>MSBuild task: marks GLIBCXX_3.4.32 weak in the given libraries that need it, and only in those.</summary>
    public sealed class MarkVersionNeedWeak : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required] public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();
        [Microsoft.Build.Framework.Required] public string VersionName { get; set; } = "";

        public override bool Execute()
        {
            foreach (var library in Libraries)
            {
                string path = library.GetMetadata("FullPath");
                if (!File.Exists(path)) continue;
                if (IclPrune.Runtime.ElfVersionNeeds.MarkWeak(path, VersionName))
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, $"icl-prune: marked {VersionName} weak in {path}");
            }
            return !Log.HasLoggedErrors;
        }
    }
}
#endif
