using IclAssertions.Gate;
using IclAssertions.Snapshots;
using IclAssertions.Tests.Constraints;
using IclAssertions.Tests.Support;
using IclPrune.Export;
using IclPrune.Models;
using IclPrune.Pruning;
using NUnit.Framework.Interfaces;

namespace IclAssertions.Tests.Gate;

/// <summary>
/// The gate's promise end to end on a real model: the bundled tiny model on synth-4way (seeds 0-2, 48 items), a
/// snapshot approved the way a user approves it (ICL_PRUNE_ACCEPT=1), then each change a user makes, run under
/// CI=true through NUnit's own runner. Model swaps use real exported checkpoints (`export --prune`), written by the
/// same code as the CLI. Each row is a row of the table in docs/assertions.md.
/// </summary>
[NonParallelizable]
public class GateScenarioTests
{
    static TempFolder? _models;
    static string? _degraded, _harmless;
    TempFolder _folder = null!;

    [OneTimeSetUp]
    public void ExportModels()
    {
        _models = new TempFolder();
        _degraded = Export("attn@-1:0.9", "degraded");
        _harmless = Export("mlp@-1:0.1", "harmless");
    }

    [OneTimeTearDown]
    public void RemoveModels() => _models?.Dispose();

    [SetUp]
    public void SetUp()
    {
        _folder = new TempFolder();
        Scenario.Folder = _folder.Path;
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    static string Export(string spec, string name)
    {
        string outFolder = Path.Combine(_models!.Path, name);
        using var loaded = ModelLoader.Load(BundledModels.TinyFolder);
        var model = loaded.Model;
        var plan = PrunePlan.Resolve([PruneSpec.Parse(spec)], PruneTargetMaps.For(model.Description, model.NamedParameters.Keys),
            model.Description.NumLayers, model.NamedParameters);
        using var pruner = new Pruner(model.NamedParameters);
        PrunedExport.Write(loaded.Folder, model.NamedParameters, plan, pruner, outFolder, factorized: false);
        return outFolder;
    }

    static ITestResult Run(GateRun run, bool ci = true, string? accept = null)
    {
        Scenario.Gate = run;
        using var env = new EnvironmentScope(ci, accept);
        var result = NUnitRun.Single(typeof(TinyGateSample));
        TestContext.Out.WriteLine($"--- {run} (CI={ci}): {result.ResultState.Status}\n{result.Message}{result.Output}");
        return result;
    }

    void Approve(GateRun run) =>
        Assert.That(Run(run, ci: false, accept: "1").ResultState.Status, Is.EqualTo(TestStatus.Passed));

    [Test]
    public void DegradedModelSwap_FailsNamingTheModelChange()
    {
        Approve(new GateRun());
        var outcome = Run(new GateRun(Model: _degraded!));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Failed));
        Assert.That(outcome.Message, Does.Contain("Accuracy dropped significantly").And.Contain("Compared across a model change"));
        Assert.That(_folder.Files(), Is.EqualTo(new[] { "TinyGateSample.Evaluate.verified.json" }), "CI writes nothing beside the test");
    }

    [Test]
    public void HarmlessModelSwap_PassesNamingTheModelChange()
    {
        Approve(new GateRun());
        var outcome = Run(new GateRun(Model: _harmless!));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Passed), outcome.Message);
        Assert.That(outcome.Output, Does.Contain("Compared across a model change"));
    }

    [Test]
    public void HarmfulSpecChange_Fails()
    {
        Approve(new GateRun(Prune: "mlp@-1:0.1"));
        var outcome = Run(new GateRun(Prune: "attn@-1:0.9"));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Failed));
        Assert.That(outcome.Message, Does.Contain("Accuracy dropped significantly").And.Contain("a prune-spec change ([mlp@-1:0.1] -> [attn@-1:0.9])"));
    }

    [Test]
    public void DtypeChange_IsComparedNotSkipped()
    {
        Approve(new GateRun());
        var outcome = Run(new GateRun(DType: "bf16"));
        Assert.That(outcome.ResultState.Status, Is.AnyOf(TestStatus.Passed, TestStatus.Failed), "never Inconclusive");
        Assert.That(outcome.Message + outcome.Output, Does.Contain("dtype: fp32 -> bf16").And.Contain("items paired by key"));
    }

    [Test]
    public void ShotsChanged_FailsAsStaleAskingToReapprove()
    {
        Approve(new GateRun());
        var outcome = Run(new GateRun(Shots: 4));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Failed));
        Assert.That(outcome.Message, Does.Contain("Stale snapshot").And.Contain("re-approve").And.Contain("shots: 8 -> 4").And.Contain("Unpaired comparison"));
    }

    [Test]
    public void AcceptOfADrop_IsRefused()
    {
        Approve(new GateRun());
        Assert.That(Run(new GateRun(Model: _degraded!), ci: false).ResultState.Status, Is.EqualTo(TestStatus.Failed));
        var accept = SnapshotApproval.Accept(_folder.Path);
        Assert.That(accept.Accepted, Is.Empty);
        Assert.That(accept.Refused.Single().Verdict!.Outcome, Is.EqualTo(GateOutcome.SignificantDrop));
        Assert.That(Run(new GateRun(Model: _degraded!), ci: false, accept: "1").ResultState.Status, Is.EqualTo(TestStatus.Failed));
    }
}
