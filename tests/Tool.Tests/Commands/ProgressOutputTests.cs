using System.Text.Json;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>Progress of long commands on the bundled tiny model, through the real command tree with captured streams.</summary>
[NonParallelizable]
public sealed class ProgressOutputTests
{
    string _out = "";

    [SetUp]
    public void CreateOut() => _out = Directory.CreateTempSubdirectory("icl-progress-").FullName;

    [TearDown]
    public void DeleteOut() => Directory.Delete(_out, recursive: true);

    [Test]
    public async Task Eval_ProgressJson_StderrIsOneProgressObjectPerLine()
    {
        var run = await CliRun.InvokeAsync("eval", "--model", "tiny", "--task", "synth-2way", "--seeds", "0,1",
            "--out", Path.Combine(_out, "r.json"), "--progress", "json");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var objects = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();   // throws on a non-JSON line
        var progress = objects.Where(o => o.GetProperty("event").GetString() == "progress").ToList();
        Assert.That(progress, Is.Not.Empty);
        Assert.That(progress.Select(p => p.GetProperty("unit").GetString()).Distinct(), Is.EqualTo(new[] { "items" }));
        Assert.That(progress.Select(p => p.GetProperty("stage").GetString()).Distinct(), Is.EqualTo(new[] { "synth-2way/test" }));
        var last = progress[^1];
        Assert.That(last.GetProperty("done").GetInt64(), Is.EqualTo(last.GetProperty("total").GetInt64()));
        Assert.That(objects.Any(o => o.GetProperty("event").GetString() == "message" &&
            o.GetProperty("message").GetString()!.Contains("results written to")), Is.True, "log lines are JSON too");
        Assert.That(run.Output, Does.Contain("accuracy"), "the summary table still goes to stdout");
    }

    [Test]
    public async Task Sweep_Redirected_PlainCellLinesTablesAndHtmlReport()
    {
        var run = await CliRun.InvokeAsync("sweep", "--model", "tiny", "--task", "synth-4way", "--seeds", "0",
            "--layers", "1", "--rates", "0,0.9", "--out", _out);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Error, Does.Contain("sweep: 1/4 cells (25%) - attn@1:0: accuracy"));
        Assert.That(run.Error, Does.Contain("sweep: 4/4 cells (100%)"));
        Assert.That((run.Error + run.Output).Contains('\u001b'), Is.False, "no escape codes when redirected");
        Assert.That(run.Output, Does.Not.Contain("| layer |").And.Not.Contain("# Sweep"), "markdown is for results.md");
        Assert.That(run.Output, Does.Contain("attn: validation accuracy per layer").And.Contain("mlp: validation accuracy"));
        Assert.That(File.ReadAllText(Path.Combine(_out, "results.md")), Does.Contain("| layer |"));
        Assert.That(File.ReadAllText(Path.Combine(_out, "report.html")), Does.Contain("class=\"heatmap\""));
    }

    [Test]
    public async Task Search_ProgressJson_CountsEvaluationsToTheEnd()
    {
        var run = await CliRun.InvokeAsync("search", "--model", "tiny", "--task", "synth-4way", "--seeds", "0",
            "--module", "mlp", "--rates", "0,0.5,0.9", "--progress", "json");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        var progress = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(o => o.GetProperty("event").GetString() == "progress").ToList();
        Assert.That(progress.Select(p => p.GetProperty("unit").GetString()).Distinct(), Is.EqualTo(new[] { "evaluations" }));
        Assert.That(progress[^1].GetProperty("done").GetInt64(), Is.EqualTo(5), "validation unpruned, 0.5, 0.9, test unpruned, test at xi*");
        Assert.That(progress[^1].GetProperty("percent").GetDouble(), Is.EqualTo(100));
    }

    [Test]
    public async Task AnyCommand_UnknownProgressMode_ExitsTwo()
    {
        var run = await CliRun.InvokeAsync("eval", "--model", "tiny", "--task", "synth-2way", "--progress", "bars");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain("bars"));
    }

    [Test]
    public async Task AnyCommand_ParseErrorUnderProgressJson_IsAJsonErrorLine()
    {
        var run = await CliRun.InvokeAsync("eval", "--no-such-option", "--progress", "json");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        var events = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(events.Any(e => e.GetProperty("event").GetString() == "error" &&
            e.GetProperty("message").GetString()!.Contains("'--no-such-option'")), Is.True, run.Error);
    }
}
