using IclPrune.Evaluation.Tasks;

namespace IclPrune.Tests.Evaluation;

public class TaskCatalogTests
{
    [Test]
    public void BuiltIn_PaperTasks_ArePresentWithThePapersShotsAndSeeds()
    {
        // docs/method.md section 3: shots and seeds per task.
        var expected = new Dictionary<string, (TaskType Type, int Shots, int Seed, string[] Words)>
        {
            ["sst2"] = (TaskType.Classification, 10, 49, ["pos", "neg"]),
            ["agnews"] = (TaskType.Classification, 8, 42, ["world", "sports", "business", "science"]),
            ["emoc"] = (TaskType.Classification, 10, 72, ["pos", "neg"]),
            ["mrpc"] = (TaskType.Classification, 10, 42, ["true", "false"]),
            ["rte"] = (TaskType.Classification, 5, 66, ["Yes", "No"]),
            ["cb"] = (TaskType.Classification, 5, 66, ["Yes", "Maybe", "No"]),
            ["copa"] = (TaskType.Choice, 5, 66, ["choice2", "choice1"]),
        };
        foreach (var (id, e) in expected)
        {
            var task = TaskCatalog.Get(id);
            Assert.That(task.Type, Is.EqualTo(e.Type), id);
            Assert.That(task.Demonstrations.Shots, Is.EqualTo(e.Shots), id);
            Assert.That(task.Demonstrations.Policy, Is.EqualTo(DemonstrationPolicy.Balanced), id);
            Assert.That(task.Splits.Seed, Is.EqualTo(e.Seed), id);
            Assert.That(task.Classes.Select(c => c.Text), Is.EqualTo(e.Words), id);
            Assert.That(task.Origin, Is.EqualTo($"builtin:{id}.yaml"));
        }
    }

    [Test]
    public void BuiltIn_EmocMapping_OthersIsPosEmotionsAreNeg()
    {
        var task = TaskCatalog.Get("emoc");
        Assert.That(task.ClassOfValue("0"), Is.EqualTo(0));
        Assert.That(new[] { "1", "2", "3" }.Select(task.ClassOfValue), Is.All.EqualTo(1));
        Assert.That(task.ClassOfValue("4"), Is.EqualTo(-1));
    }

    [Test]
    public void Get_UnknownId_ListsBuiltInTasks()
    {
        var e = Assert.Throws<IclPruneException>(() => TaskCatalog.Get("sst3"))!;
        Assert.That(e.Message, Does.Contain("sst3").And.Contain("sst2").And.Contain("copa"));
    }

    [Test]
    public void Get_UserFileByPath_LoadsIt()
    {
        using var folder = new TempFolder();
        string text = TaskCatalog.Get("rte").SourceText.Replace("id: rte", "id: my-rte");
        string path = folder.Write("mine.yaml", text);
        var task = TaskCatalog.Get(path);
        Assert.That(task.Id, Is.EqualTo("my-rte"));
        Assert.That(task.Origin, Is.EqualTo(path));
    }

    [Test]
    public void Get_MissingYamlPath_NamesThePath()
    {
        var e = Assert.Throws<IclPruneException>(() => TaskCatalog.Get("/nonexistent/task.yaml"))!;
        Assert.That(e.Message, Does.Contain("/nonexistent/task.yaml").And.Contain("does not exist"));
    }

    [TestCase("type: classify", "key 'type'", "classification or choice")]
    [TestCase("shots: 10", "key 'demonstrations.shots'", "missing")]
    [TestCase("per_class: 4000}", "splits.validation", "both size and per_class")]
    [TestCase("query: \"text: {sentence}\\n sentiment :\"", "key 'template.query'", "must not contain {label}")]
    [TestCase("values: [0, negative]", "key 'labels[1].values'", "already mapped")]
    [TestCase("policy: balanced", "key 'demonstrations.policy'", "balanced, random or first")]
    [TestCase("trim_fields: true", "line", "Property 'trimfields' not found")]
    public void Parse_BrokenFile_NamesFileKeyAndExpectation(string line, string key, string expectation)
    {
        string text = TaskCatalog.Get("sst2").SourceText;
        string broken = line switch
        {
            "type: classify" => text.Replace("type: classification", "type: classify"),
            "shots: 10" => text.Replace("  shots: 10\n", ""),
            "per_class: 4000}" => text.Replace("per_class: 4000}", "per_class: 4000, size: 10}"),
            "values: [0, negative]" => text.Replace("values: [0, negative]", "values: [1, negative]"),
            "policy: balanced" => text.Replace("policy: balanced", "policy: stratified"),
            "trim_fields: true" => text.Replace("trim_fields: true", "trimfields: true"),
            _ => text.Replace("query: \"text: {sentence}\\n sentiment :\"", "query: \"text: {sentence}\\n sentiment : {label}\""),
        };
        Assert.That(broken, Is.Not.EqualTo(text), "the test must actually break the file");
        var e = Assert.Throws<IclPruneException>(() => TaskParser.Parse(broken, "/tmp/broken.yaml"))!;
        Assert.That(e.Message, Does.StartWith("task file /tmp/broken.yaml").And.Contain(key).And.Contain(expectation));
    }

    [Test]
    public void BundledData_PaperTasks_HaveNone()
    {
        Assert.That(TaskCatalog.BundledData("sst2"), Is.Empty);
    }
}
