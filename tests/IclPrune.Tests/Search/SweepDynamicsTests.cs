using IclPrune.Dynamics;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Tasks;
using IclPrune.Models;
using IclPrune.Reports;
using IclPrune.Search;

namespace IclPrune.Tests.Search;

/// <summary>
/// sweep --icl-dynamics on the bundled tiny model (synth-4way-noisy, seeds 0 and 1, attention of layer 1 at 0, 0.75
/// and 0.9): each cell's norms are the ones IclDynamics measures on the model pruned by the cell's spec, they are
/// journaled, and a sweep journaled without them resumes with them, measuring only the norms.
/// </summary>
[NonParallelizable]
public sealed class SweepDynamicsTests
{
    static readonly SweepGrid Grid = new([1], ["attn"], [0m, 0.75m, 0.9m]);
    static readonly int[] Seeds = [0, 1];
    LoadedModel _loaded = null!;
    TaskDataset _data = null!;
    EvaluationSession _evaluator = null!;
    string _folder = "";

    [OneTimeSetUp]
    public void Load()
    {
        _loaded = ModelLoader.Load("tiny");
        _data = TaskDataset.Load(TaskCatalog.Get("synth-4way-noisy"), null);
        _evaluator = new EvaluationSession(_loaded.Model, _loaded.Tokenizer, new ModelIdentity(_loaded.Id, _loaded.Fingerprint), _data,
            new EvaluationOptions { Seeds = Seeds, BatchSize = 16 });
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _evaluator.Dispose();
        _loaded.Dispose();
    }

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("icl-sweep-dyn-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Run_WithDynamics_CellNormsAreThePrunedModelsAndJournaled()
    {
        int measured = 0;
        var measure = SweepDynamics.For(_loaded, _evaluator, _data, Seeds);
        PrunedDynamics counting = specs => { measured++; return measure(specs); };

        var result = Sweep.Run(Grid, SplitRole.Test, _evaluator.Run, _folder, "cfg", dynamics: counting);

        Assert.That(measured, Is.EqualTo(1 + 2), "the unpruned model and the two non-zero rates; rate 0 reuses the unpruned norms");
        var direct = IclDynamics.Measure(_loaded, _data, Seeds);
        Assert.That(result.BaselineDynamics!.Layers.Select(l => l.DeltaWNorm), Is.EqualTo(direct.Layers.Select(l => l.DeltaWNorm)));
        var pruned = result.Cells.Single(c => c.Cell.Rate == 0.75m);
        using (_evaluator.Pruner.Apply(_evaluator.Resolve([pruned.Cell.Spec])))
            direct = IclDynamics.Measure(_loaded, _data, Seeds);
        Assert.That(pruned.Dynamics!.Layers.Select(l => l.AccumulatedNorm), Is.EqualTo(direct.Layers.Select(l => l.AccumulatedNorm)));
        Assert.That(pruned.Dynamics.Layers[1].DeltaWNorm, Is.Not.EqualTo(result.BaselineDynamics.Layers[1].DeltaWNorm), "pruning layer 1's attention moves its norm");

        var journal = SweepJournal.Load(Path.Combine(_folder, SweepJournal.FileName));
        Assert.That(journal.Dynamics.Keys, Is.EquivalentTo(new[] { SweepJournal.BaselineKey, "attn@1:0.75", "attn@1:0.9" }));
        var summary = SweepSummary.Of(result).Dynamics!;
        Assert.That(summary.Cells, Has.Count.EqualTo(3));
        Assert.That(summary.Cells.Single(c => c.Spec == "attn@1:0").DeltaWSumChange, Is.EqualTo(0));
        Assert.That(summary.SpearmanDeltaW, Is.InRange(-1.0, 1.0));
    }

    [Test]
    public void Run_JournaledWithoutDynamics_ResumesMeasuringOnlyTheNorms()
    {
        var plain = Sweep.Run(Grid, SplitRole.Test, _evaluator.Run, _folder, "cfg");
        string plainJson = ResultsJson(plain);
        Assert.That(plainJson, Does.Not.Contain("\"dynamics\""), "results.json is unchanged without --icl-dynamics");

        int evaluations = _evaluator.Evaluations, measured = 0;
        var measure = SweepDynamics.For(_loaded, _evaluator, _data, Seeds);
        var first = Sweep.Run(Grid, SplitRole.Test, _evaluator.Run, _folder, "cfg", dynamics: specs => { measured++; return measure(specs); });
        Assert.That((_evaluator.Evaluations - evaluations, measured), Is.EqualTo((0, 3)), "no cell is evaluated again; only the norms are measured");

        var again = Sweep.Run(Grid, SplitRole.Test, _evaluator.Run, _folder, "cfg", dynamics: specs => { measured++; return measure(specs); });
        Assert.That(measured, Is.EqualTo(3), "a third run finds every norm in the journal");
        Assert.That(ResultsJson(again), Is.EqualTo(ResultsJson(first)));
        Assert.That(ResultsJson(again), Does.Contain("\"spearman_delta_w\""));
    }

    string ResultsJson(SweepResult result)
    {
        string folder = Path.Combine(_folder, "report");
        SweepReport.Write(SweepSummary.Of(result), folder);
        return File.ReadAllText(Path.Combine(folder, "results.json"));
    }
}
