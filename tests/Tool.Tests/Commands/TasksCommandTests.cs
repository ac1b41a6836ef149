using System.Text.Json;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

public class TasksCommandTests
{
    [Test]
    public async Task Tasks_NoOptions_ListsThePaperTasks()
    {
        var run = await CliRun.InvokeAsync("tasks");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        foreach (string id in new[] { "sst2", "agnews", "emoc", "mrpc", "rte", "cb", "copa" })
            Assert.That(run.Output, Does.Contain(id));
    }

    [Test]
    public async Task Tasks_Json_IsParseableAndCarriesLabelsShotsAndSplits()
    {
        var run = await CliRun.InvokeAsync("tasks", "--json");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var cb = json.RootElement.EnumerateArray().Single(t => t.GetProperty("id").GetString() == "cb");
        Assert.That(cb.GetProperty("shots").GetInt32(), Is.EqualTo(5));
        Assert.That(cb.GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("text").GetString()), Is.EqualTo(new[] { "Yes", "Maybe", "No" }));
        Assert.That(cb.GetProperty("splits").GetProperty("test").GetString(), Is.EqualTo("all of validation"));
        Assert.That(cb.GetProperty("data_source").GetString(), Does.Contain("super_glue/cb"));
    }

    [Test]
    public async Task TasksShow_BuiltIn_PrintsFileAndPlaceholderPrompt()
    {
        var run = await CliRun.InvokeAsync("tasks", "show", "rte");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.Contain("id: rte").And.Contain("splits:"));
        Assert.That(run.Output, Does.Contain(
            "<premise 1> Does this mean that <hypothesis 1> is true? select Yes or No? Yes\n" +
            "<premise 2> Does this mean that <hypothesis 2> is true? select Yes or No? No\n"));
        Assert.That(run.Output, Does.Contain("\" Yes\" | \" No\""));
    }

    [Test]
    public async Task TasksShow_WithData_RendersTheFirstTestItem()
    {
        var folder = Directory.CreateTempSubdirectory("tasks-show-");
        try
        {
            var train = Enumerable.Range(0, 12).Select(i => $"{{\"premise\": \"P{i}.\", \"hypothesis\": \"h{i}\", \"label\": {i % 2}}}");
            File.WriteAllLines(Path.Combine(folder.FullName, "train.jsonl"), train);
            File.WriteAllText(Path.Combine(folder.FullName, "validation.csv"), "premise,hypothesis,label\nQ.,q,1\n");
            string task = Path.Combine(folder.FullName, "small-rte.yaml");
            var rte = await CliRun.InvokeAsync("tasks", "show", "rte");
            string yaml = rte.Output[(rte.Output.IndexOf('\n') + 1)..rte.Output.IndexOf("\n# Example prompt", StringComparison.Ordinal)]
                .Replace("id: rte", "id: small-rte").Replace("per_class: 200", "per_class: 2");
            File.WriteAllText(task, yaml);

            var run = await CliRun.InvokeAsync("tasks", "show", task, "--data", folder.FullName);
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
            Assert.That(run.Output, Does.Contain("Q. Does this mean that q is true? select Yes or No?\n#--->8---"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public async Task TasksShow_UnknownTask_ExitsOneListingTasks()
    {
        var run = await CliRun.InvokeAsync("tasks", "show", "nope");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(run.Error, Does.Contain("nope").And.Contain("sst2"));
    }
}
