using System.Text.Json;
using IclPrune.Tool.Cli.Progress;

namespace IclPrune.Tool.Tests.Cli;

/// <summary>The three progress modes: which one a run gets, and what plain and JSON boards write.</summary>
public sealed class ProgressBoardTests
{
    [TestCase("auto", true, null, ProgressMode.Live)]
    [TestCase("auto", true, "", ProgressMode.Live)]
    [TestCase("auto", true, "true", ProgressMode.Plain)]
    [TestCase("auto", false, null, ProgressMode.Plain)]
    [TestCase("plain", true, null, ProgressMode.Plain)]
    [TestCase("json", true, null, ProgressMode.Json)]
    [TestCase("JSON", false, "1", ProgressMode.Json)]
    public void Resolve_TerminalAndCi_PicksMode(string requested, bool terminal, string? ci, ProgressMode expected) =>
        Assert.That(ProgressModes.Resolve(requested, terminal, ci), Is.EqualTo(expected));

    [Test]
    public void Resolve_UnknownMode_ThrowsUsageNamingTheValue() =>
        Assert.That(() => ProgressModes.Resolve("bars", true, null),
            Throws.TypeOf<UsageException>().With.Message.Contains("'bars'").And.Message.Contains("auto, plain or json"));

    [Test]
    public void PlainBoard_CellsWithDetail_OneLinePerCellWithCountsAndRate()
    {
        var error = new StringWriter();
        var stage = new PlainProgressBoard(error).Stage("sweep", "cells");
        for (int i = 1; i <= 3; i++) stage.Report(i, 3, $"mlp@0:0.{i}: accuracy 0.5000");

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[0], Does.StartWith("sweep: 1/3 cells (33%)").And.EndWith("- mlp@0:0.1: accuracy 0.5000"));
        Assert.That(lines[2], Does.StartWith("sweep: 3/3 cells (100%)").And.Contain("cells/s"));
        Assert.That(error.ToString().Contains('\u001b'), Is.False, "no escape codes in plain mode");
    }

    [Test]
    public void PlainBoard_ItemsWithoutDetail_ThrottledButLastLineAlwaysWritten()
    {
        var error = new StringWriter();
        var stage = new PlainProgressBoard(error).Stage("synth-2way/test", "items");
        for (int i = 8; i <= 96; i += 8) stage.Report(i, 96);

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Length, Is.LessThan(12), "an 8,000-item eval must not write a line per batch");
        Assert.That(lines[^1], Does.StartWith("synth-2way/test: 96/96 items (100%)"));
    }

    [Test]
    public void JsonBoard_EveryReport_OneParseableObjectPerLineWithTheFields()
    {
        var error = new StringWriter();
        var stage = new JsonProgressBoard(error).Stage("sweep", "cells");
        stage.Report(1, 4, "attn@0:0.5: accuracy 1.0000");
        stage.Report(2, 4);
        stage.Report(4, 4, "done");

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        var objects = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var o in objects)
        {
            Assert.That(o.GetProperty("event").GetString(), Is.EqualTo("progress"));
            Assert.That(o.GetProperty("stage").GetString(), Is.EqualTo("sweep"));
            Assert.That(o.GetProperty("unit").GetString(), Is.EqualTo("cells"));
            Assert.That(o.GetProperty("total").GetInt64(), Is.EqualTo(4));
            foreach (string field in new[] { "percent", "rate", "eta_seconds", "elapsed_seconds", "detail" })
                Assert.That(o.TryGetProperty(field, out _), Is.True, field);
        }
        Assert.That(objects.Select(o => o.GetProperty("done").GetInt64()), Is.EqualTo(new long[] { 1, 2, 4 }));
        Assert.That(objects[0].GetProperty("detail").GetString(), Is.EqualTo("attn@0:0.5: accuracy 1.0000"));
        Assert.That(objects[0].GetProperty("rate").ValueKind, Is.EqualTo(JsonValueKind.Null), "no rate before a second report");
        Assert.That(objects[2].GetProperty("eta_seconds").GetDouble(), Is.Zero);
        Assert.That(objects[2].GetProperty("percent").GetDouble(), Is.EqualTo(100));
    }

    [Test]
    public void Meter_ResumedStage_RateCountsOnlyWorkDoneInThisRun()
    {
        var meter = new ProgressMeter("sweep", "cells");
        var first = meter.Next(13, 32, null);   // a resumed sweep's first report: 13 cells came from the journal
        Thread.Sleep(20);   // a measurable interval, not a timing assertion
        var second = meter.Next(14, 32, null);

        Assert.That(first.Rate, Is.Null);
        Assert.That(second.Rate, Is.Not.Null);
        double expectedEtaSeconds = 18 / second.Rate!.Value;
        Assert.That(second.Remaining!.Value.TotalSeconds, Is.EqualTo(expectedEtaSeconds).Within(1e-6));
    }
}
