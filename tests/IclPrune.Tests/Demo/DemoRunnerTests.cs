using System.Text.Json;
using IclPrune.Demo;
using IclPrune.Models;
using IclPrune.Reports;

namespace IclPrune.Tests.Demo;

/// <summary>
/// The demo on the bundled tiny model, shrunk to one task, one seed and two rates so it runs in seconds: every stage
/// produces its numbers, the report folder holds what report.md links to, and a rerun resumes from the sweep journal.
/// </summary>
public sealed class DemoRunnerTests
{
    string _out = "";

    [SetUp]
    public void CreateOut() => _out = Directory.CreateTempSubdirectory("icl-demo-").FullName;

    [TearDown]
    public void DeleteOut() => Directory.Delete(_out, recursive: true);

    DemoOptions SmallDemo => new()
    {
        OutFolder = _out,
        Tasks = ["synth-2way"],
        PruningTask = "synth-2way",
        Seeds = [0],
        Rates = [0m, 0.9m],
    };

    [Test]
    public void Run_TinyModel_EveryStageMeasuredAndReportLinksExist()
    {
        using var loaded = ModelLoader.Load("tiny");
        var stages = new List<string>();

        var result = DemoRunner.Run(loaded, SmallDemo, new ActionProgress<DemoProgress>(p => stages.Add(p.Stage)));
        var files = DemoReport.Write(result, _out);

        Assert.That(result.ShotsCurve.Select(p => p.Shots), Is.EqualTo(DemoOptions.ShotsCurve(8)));
        Assert.That(result.ShotsCurve.All(p => p.Accuracy is >= 0 and <= 1 && p.Chance == 0.5), Is.True);
        int layers = loaded.Model.Description.NumLayers;
        Assert.That(result.Spectra.Matrices, Has.Count.EqualTo(layers * 6), "q, k, v, o, fc_in, fc_out per GPT-2 layer");
        Assert.That(result.Sweep.Cells, Has.Count.EqualTo(layers * 2 * 2), "layers x {attn, mlp} x 2 rates");
        Assert.That(result.Searches.Select(s => s.Module), Is.EqualTo(new[] { "attn", "mlp" }));
        Assert.That(result.SweepTests, Has.Count.EqualTo(result.Sweep.Cells.Count), "a paired test per cell");
        Assert.That(result.Dynamics!.Unpruned.Layers, Has.Count.EqualTo(layers));
        Assert.That(result.Dynamics.Cells, Has.Count.EqualTo(result.Sweep.Cells.Count), "implicit-update norms per cell");
        Assert.That(result.Power, Is.Empty, "synth-2way is at 1.0 unpruned: no improvement can be simulated");
        Assert.That(stages.Distinct(), Is.EqualTo(new[] { DemoRunner.ShotsStage, DemoRunner.SpectraStage, DemoRunner.SweepStage, DemoRunner.SearchStage }));
        foreach (string file in files)
            Assert.That(File.Exists(Path.Combine(_out, file)), Is.True, file);
        string markdown = File.ReadAllText(Path.Combine(_out, DemoReport.Markdown));
        foreach (var image in System.Text.RegularExpressions.Regex.Matches(markdown, @"\]\(([^)]+\.png)\)").Select(m => m.Groups[1].Value))
            Assert.That(File.Exists(Path.Combine(_out, image)), Is.True, $"report.md links {image}");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, DemoReport.Json)));
        Assert.That(json.RootElement.GetProperty("shots_curve").GetArrayLength(), Is.EqualTo(result.ShotsCurve.Count));
    }

    [Test]
    public void Run_SecondTime_ResumesTheSweepWithIdenticalNumbers()
    {
        using var loaded = ModelLoader.Load("tiny");
        var first = DemoRunner.Run(loaded, SmallDemo);
        var sweepLines = new List<string>();

        var second = DemoRunner.Run(loaded, SmallDemo, new ActionProgress<DemoProgress>(p =>
        {
            if (p.Stage == DemoRunner.SweepStage) sweepLines.Add(p.Detail);
        }));

        Assert.That(sweepLines, Has.Some.StartsWith("resuming"));
        Assert.That(second.Sweep.Cells.Select(c => c.Accuracy), Is.EqualTo(first.Sweep.Cells.Select(c => c.Accuracy)));
    }
}
