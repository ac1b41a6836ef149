using System.Text;
using IclPrune.Evaluation.Data;
using IclPrune.Tests.Evaluation;

namespace IclPrune.Tests.Fuzz;

/// <summary>
/// Malformed data files for every format: Parquet magic bytes around seeded noise (issue 17: an OverflowException),
/// text files with bytes that are not UTF-8 (silently U+FFFD before), and JSONL / CSV of the wrong shape.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class DataFileFuzzTests
{
    static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, string fileName, byte[] bytes) =>
            new TestCaseData(fileName, bytes).SetName($"Read_{name}_Rejected");

        // "PAR1" + noise + a footer length + "PAR1": the footer length is sometimes plausible, sometimes absurd.
        foreach (int size in new[] { 0, 1, 8, 64, 512, 4096 })
            foreach (int seed in new[] { 1, 2, 3, 4 })
            {
                var random = new Random(size * 31 + seed);
                var noise = new byte[size];
                random.NextBytes(noise);
                int footer = seed switch { 1 => size, 2 => int.MaxValue, 3 => -5, _ => random.Next(0, size + 16) };
                var bytes = Ascii("PAR1").Concat(noise).Concat(BitConverter.GetBytes(footer)).Concat(Ascii("PAR1")).ToArray();
                yield return Case($"ParquetNoise{size}Seed{seed}", "train.parquet", bytes);
            }
        yield return Case("ParquetOnlyMagic", "train.parquet", Ascii("PAR1"));
        yield return Case("ParquetEmpty", "train.parquet", []);

        // Bytes that are not UTF-8 inside a cell of each text format (Latin-1 "café", a lone continuation byte, a cut sequence).
        var bad = new (string Name, byte[] Bytes)[] { ("Latin1", [0x63, 0x61, 0x66, 0xE9]), ("LoneContinuation", [0x80]), ("CutSequence", [0xE2, 0x82]) };
        foreach (var (name, bytes) in bad)
        {
            yield return Case($"Jsonl{name}", "train.jsonl", [.. Ascii("{\"text\": \""), .. bytes, .. Ascii("\", \"label\": 1}\n")]);
            yield return Case($"Csv{name}", "train.csv", [.. Ascii("text,label\n"), .. bytes, .. Ascii(",1\n")]);
            yield return Case($"Tsv{name}", "train.tsv", [.. Ascii("text\tlabel\n"), .. bytes, .. Ascii("\t1\n")]);
        }

        // Wrong shapes.
        foreach (var (name, text) in new[]
                 {
                     ("JsonlArrayLine", "[1, 2]\n"), ("JsonlNumberLine", "5\n"), ("JsonlCutObject", "{\"text\": \"a\"\n"),
                     ("JsonlTwoObjectsOnALine", "{\"a\": 1} {\"a\": 2}\n"), ("JsonlStringLine", "\"text\"\n"),
                 })
            yield return Case(name, "train.jsonl", Encoding.UTF8.GetBytes(text));
        foreach (var (name, text) in new[]
                 {
                     ("CsvRaggedRow", "text,label\na,1,extra\n"), ("CsvUnclosedQuote", "text,label\n\"a,1\n"),
                     ("CsvDuplicateColumn", "text,text\na,b\n"), ("CsvShortRow", "text,label\na\n"),
                 })
            yield return Case(name, "train.csv", Encoding.UTF8.GetBytes(text));
        yield return Case("TsvRaggedRow", "train.tsv", Encoding.UTF8.GetBytes("text\tlabel\na\t1\t2\n"));
        yield return Case("UnknownExtension", "train.xlsx", Encoding.UTF8.GetBytes("text\n"));
    }

    [TestCaseSource(nameof(Cases))]
    public void Read_Malformed_Rejected(string fileName, byte[] bytes)
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, fileName);
        File.WriteAllBytes(path, bytes);
        FuzzOutcome.ExpectRejected(() => DataFileReader.Read("train", path), mustName: path);
    }

    [Test]
    public async Task Read_SeededByteMutationsOfARealParquetFile_ValueOrClearErrorNeverCrashOrHang()
    {
        // A flipped byte inside a string value still makes a valid file, so a value is allowed here; crashes and hangs
        // are not. Truncations are always malformed and must be rejected.
        using var folder = new TempFolder();
        string original = Path.Combine(folder.Path, "original.parquet");
        await Parquet.Serialization.ParquetSerializer.SerializeAsync(
            Enumerable.Range(0, 20).Select(i => new Row { Text = $"sentence {i} é", Label = i % 2 }), original);
        byte[] valid = File.ReadAllBytes(original);
        var random = new Random(17);
        int rejected = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var bytes = (byte[])valid.Clone();
            bool truncated = trial % 10 == 0;
            if (truncated) bytes = bytes[..random.Next(bytes.Length)];
            else
                for (int i = random.Next(1, 4); i > 0; i--)
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            string path = Path.Combine(folder.Path, $"m{trial}.parquet");
            File.WriteAllBytes(path, bytes);
            bool wasRejected = FuzzOutcome.ExpectValueOrRejected(() => DataFileReader.Read("train", path), $"mutation {trial}");
            if (truncated) Assert.That(wasRejected, Is.True, $"truncation {trial} to {bytes.Length} bytes was accepted");
            if (wasRejected) rejected++;
        }
        Assert.That(rejected, Is.GreaterThan(30));
    }

    sealed class Row
    {
        public string Text { get; set; } = "";
        public int Label { get; set; }
    }

    [Test]
    public void Read_Utf8WithAccents_IsAccepted()
    {
        // The strict decoder refuses bad bytes only: real UTF-8 (and a BOM) still reads.
        using var folder = new TempFolder();
        string path = folder.Write("train.csv", "\uFEFFtext,label\ncafé,1\n");
        Assert.That(DataFileReader.Read("train", path).Rows[0]["text"], Is.EqualTo("café"));
    }
}
