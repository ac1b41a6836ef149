using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Tests.Evaluation.Data;

public class TaskDataLoaderTests
{
    static RawSplit Split(string name, params (string Sentence, string? Label)[] rows) =>
        new(name, $"/data/{name}.jsonl", ["sentence", "label"],
            rows.Select(r => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?> { ["sentence"] = r.Sentence, ["label"] = r.Label }).ToList());

    [Test]
    public void Label_MapsValuesAndNamesToClasses()
    {
        var task = TaskCatalog.Get("sst2");
        var examples = TaskDataLoader.Label(task, Split("train", (" a ", "1"), ("b", "0"), ("c", "positive")));
        Assert.That(examples.Select(e => e.Class), Is.EqualTo(new[] { 0, 1, 0 }));
        Assert.That(examples[0].Fields["sentence"], Is.EqualTo("a"), "trim_fields trims");
        Assert.That(examples.Select(e => e.Row), Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public void Label_MissingColumn_NamesColumnSplitAndTheOverride()
    {
        var task = TaskCatalog.Get("agnews");
        var e = Assert.Throws<IclPruneException>(() => TaskDataLoader.Label(task, Split("train", ("a", "1"))))!;
        Assert.That(e.Message, Does.Contain("split train").And.Contain("no column 'text'").And.Contain("sentence, label").And.Contain("override text=COLUMN"));
    }

    [Test]
    public void Label_ColumnOverride_ReadsTheOtherColumn()
    {
        var task = TaskCatalog.Get("agnews");
        var examples = TaskDataLoader.Label(task, Split("train", ("a", "1")), new Dictionary<string, string> { ["text"] = "sentence" });
        Assert.That(examples[0].Fields["text"], Is.EqualTo("a"));
    }

    [Test]
    public void Label_UnmappedLabel_NamesRowValueAndMapping()
    {
        var task = TaskCatalog.Get("sst2");
        var e = Assert.Throws<IclPruneException>(() => TaskDataLoader.Label(task, Split("train", ("a", "1"), ("b", "7"))))!;
        Assert.That(e.Message, Does.Contain("row 1").And.Contain("label '7'").And.Contain("pos <- 1, positive"));
    }

    [Test]
    public void Label_AllHiddenLabels_NamesTheSplit()
    {
        var task = TaskCatalog.Get("rte");
        var split = new RawSplit("test", "/data/test.parquet", ["premise", "hypothesis", "label"],
            [new Dictionary<string, string?> { ["premise"] = "p", ["hypothesis"] = "h", ["label"] = "-1" }]);
        var e = Assert.Throws<IclPruneException>(() => TaskDataLoader.Label(task, split))!;
        Assert.That(e.Message, Does.Contain("split test").And.Contain("hidden labels"));
    }

    [Test]
    public void Label_EmptySplit_SaysEmpty()
    {
        var e = Assert.Throws<IclPruneException>(() => TaskDataLoader.Label(TaskCatalog.Get("sst2"), Split("validation")))!;
        Assert.That(e.Message, Does.Contain("split validation").And.Contain("empty"));
    }

    [Test]
    public void Load_MissingSourceSplit_ListsWhatTheDataHas()
    {
        using var folder = new TempFolder();
        folder.Write("train.jsonl", "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": 0}\n");
        var e = Assert.Throws<IclPruneException>(() => TaskDataLoader.Load(TaskCatalog.Get("rte"), DataSourceSpec.FromFolder(folder.Path)))!;
        Assert.That(e.Message, Does.Contain("validation").And.Contain("has only: train"));
    }
}
