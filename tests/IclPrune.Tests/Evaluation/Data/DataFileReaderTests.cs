using IclPrune.Evaluation.Data;
using Parquet.Serialization;

namespace IclPrune.Tests.Evaluation.Data;

public class DataFileReaderTests
{
    public sealed class GlueRow
    {
        public string Sentence { get; set; } = "";
        public long Label { get; set; }
        public int Idx { get; set; }
    }

    [Test]
    public void Read_Jsonl_TypedValuesBecomeText()
    {
        using var folder = new TempFolder();
        string path = folder.Write("train.jsonl", """
            {"sentence": "good", "label": 1, "score": 1.0, "ok": true, "note": null}

            {"sentence": "bad", "label": 0, "score": 0.25, "ok": false, "extra": [1, 2]}
            """);
        var split = DataFileReader.Read("train", path);
        Assert.That(split.Rows, Has.Count.EqualTo(2));
        Assert.That(split.Columns, Is.EqualTo(new[] { "sentence", "label", "score", "ok", "note", "extra" }));
        Assert.That(split.Rows[0]["label"], Is.EqualTo("1"));
        Assert.That(split.Rows[0]["score"], Is.EqualTo("1"), "an integral float compares equal to an integer label");
        Assert.That(split.Rows[1]["score"], Is.EqualTo("0.25"));
        Assert.That(split.Rows[0]["ok"], Is.EqualTo("true"));
        Assert.That(split.Rows[0]["note"], Is.Null);
        Assert.That(split.Rows[1]["extra"], Is.EqualTo("[1, 2]"));
    }

    [Test]
    public void Read_Csv_QuotedFieldsKeepCommasQuotesAndNewlines()
    {
        using var folder = new TempFolder();
        string path = folder.Write("train.csv", "sentence,label\r\n\"a, b\",1\n\"say \"\"hi\"\"\nthere\",0\nplain,1\n");
        var split = DataFileReader.Read("train", path);
        Assert.That(split.Rows.Select(r => r["sentence"]), Is.EqualTo(new[] { "a, b", "say \"hi\"\nthere", "plain" }));
        Assert.That(split.Rows.Select(r => r["label"]), Is.EqualTo(new[] { "1", "0", "1" }));
    }

    [Test]
    public void Read_Tsv_QuotesAreLiteralAsInGlue()
    {
        using var folder = new TempFolder();
        string path = folder.Write("dev.tsv", "sentence\tlabel\nit 's \"fine\"\t1\n");
        var split = DataFileReader.Read("dev", path);
        Assert.That(split.Rows[0]["sentence"], Is.EqualTo("it 's \"fine\""));
    }

    [Test]
    public void Read_CsvWithWrongFieldCount_NamesFileAndLine()
    {
        using var folder = new TempFolder();
        string path = folder.Write("train.csv", "sentence,label\ngood,1\nbad\n");
        var e = Assert.Throws<IclPruneException>(() => DataFileReader.Read("train", path))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("line 3").And.Contain("expected 2"));
    }

    [Test]
    public void Read_JsonlWithBrokenLine_NamesFileAndLine()
    {
        using var folder = new TempFolder();
        string path = folder.Write("train.jsonl", "{\"a\": 1}\n{\"a\": \n");
        var e = Assert.Throws<IclPruneException>(() => DataFileReader.Read("train", path))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("line 2"));
    }

    [Test]
    public async Task Read_Parquet_AsHuggingFaceWritesIt()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "train-00000-of-00001.parquet");
        await ParquetSerializer.SerializeAsync(new[]
        {
            new GlueRow { Sentence = "good", Label = 1, Idx = 0 },
            new GlueRow { Sentence = "bad", Label = 0, Idx = 1 },
        }, path);
        var split = DataFileReader.Read("train", path);
        Assert.That(split.Columns, Is.EquivalentTo(new[] { "Sentence", "Label", "Idx" }));
        Assert.That(split.Rows.Select(r => r["Sentence"]), Is.EqualTo(new[] { "good", "bad" }));
        Assert.That(split.Rows.Select(r => r["Label"]), Is.EqualTo(new[] { "1", "0" }));
    }

    [Test]
    public void Read_GarbageParquet_SaysNotReadable()
    {
        using var folder = new TempFolder();
        string path = folder.Write("train.parquet", "this is not parquet");
        var e = Assert.Throws<IclPruneException>(() => DataFileReader.Read("train", path))!;
        Assert.That(e.Message, Does.Contain(path).And.Contain("Parquet"));
    }

    [Test]
    public async Task FromFolder_FindsSplitsAndConcatenatesShardsInOrder()
    {
        using var folder = new TempFolder();
        await ParquetSerializer.SerializeAsync(new[] { new GlueRow { Sentence = "s0", Label = 1 } }, Path.Combine(folder.Path, "train-00000-of-00002.parquet"));
        await ParquetSerializer.SerializeAsync(new[] { new GlueRow { Sentence = "s1", Label = 0 } }, Path.Combine(folder.Path, "train-00001-of-00002.parquet"));
        folder.Write("validation.jsonl", "{\"Sentence\": \"v\", \"Label\": 1}\n");
        folder.Write("README.md", "ignored");
        var data = DataSourceSpec.FromFolder(folder.Path);
        Assert.That(data.SplitNames, Is.EquivalentTo(new[] { "train", "validation" }));
        Assert.That(data.Read("train").Rows.Select(r => r["Sentence"]), Is.EqualTo(new[] { "s0", "s1" }));
        var e = Assert.Throws<IclPruneException>(() => data.Read("test"))!;
        Assert.That(e.Message, Does.Contain("no split 'test'").And.Contain("train, validation"));
    }

    [Test]
    public void Parse_SplitPathPairs_MapEachSplit()
    {
        using var folder = new TempFolder();
        string train = folder.Write("a.jsonl", "{\"x\": 1}\n");
        string test = folder.Write("b.csv", "x\n2\n");
        var data = DataSourceSpec.Parse($"train={train},test={test}");
        Assert.That(data.Read("test").Rows[0]["x"], Is.EqualTo("2"));
        Assert.Throws<UsageException>(() => DataSourceSpec.Parse("train"));
        var missing = Assert.Throws<IclPruneException>(() => DataSourceSpec.Parse("train=/nope/x.jsonl"))!;
        Assert.That(missing.Message, Does.Contain("/nope/x.jsonl").And.Contain("split train"));
    }
}
