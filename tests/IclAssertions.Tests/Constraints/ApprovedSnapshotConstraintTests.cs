using IclAssertions.Snapshots;
using IclAssertions.Tests.Support;
using NUnit.Framework.Interfaces;

namespace IclAssertions.Tests.Constraints;

[NonParallelizable]
public class ApprovedSnapshotConstraintTests
{
    const string SnapshotFile = "SnapshotSample.Evaluate";
    TempFolder _folder = null!;

    // Three seeds x 200 items at ~80%: the shape of a small eval suite.
    static readonly bool[][] Baseline = [Evaluations.Items(200, 160, 1), Evaluations.Items(200, 156, 2), Evaluations.Items(200, 164, 3)];

    [SetUp]
    public void SetUp()
    {
        _folder = new TempFolder();
        Scenario.Folder = _folder.Path;
        Scenario.MaxDrop = null;
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    string Verified => Path.Combine(_folder.Path, SnapshotFile + SnapshotPaths.VerifiedSuffix);
    string Received => Path.Combine(_folder.Path, SnapshotFile + SnapshotPaths.ReceivedSuffix);

    void Approve(IclPrune.Evaluation.EvaluationResult result) =>
        AtomicFile.WriteAllText(Verified, SnapshotSerializer.Serialize(SnapshotDocument.From(result)));

    ITestResult Run(IclPrune.Evaluation.EvaluationResult result, bool ci = false, bool accept = false)
    {
        Scenario.Result = result;
        using var env = new EnvironmentScope(ci, accept);
        return NUnitRun.Single(typeof(SnapshotSample));
    }

    [Test]
    public void ApplyTo_MissingSnapshotLocally_FailsAndWritesReceived()
    {
        var outcome = Run(Evaluations.From(Baseline));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Failed));
        Assert.That(outcome.Message, Does.Contain("No approved snapshot").And.Contain("snapshots accept"));
        Assert.That(_folder.Files(), Is.EqualTo(new[] { SnapshotFile + ".received.json" }));
        Assert.That(SnapshotSerializer.Read(Received), Is.EqualTo(SnapshotDocument.From(Evaluations.From(Baseline))).Using(new DocumentComparer()));
    }

    [Test]
    public void ApplyTo_MissingSnapshotOnCi_FailsAndWritesNothing()
    {
        var outcome = Run(Evaluations.From(Baseline), ci: true);
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Failed));
        Assert.That(outcome.Message, Does.Contain("CI is set, so nothing was written"));
        Assert.That(_folder.Files(), Is.Empty);
    }

    [Test]
    public void ApplyTo_IdenticalRun_PassesAndRemovesStaleReceived()
    {
        Approve(Evaluations.From(Baseline));
        File.WriteAllText(Received, "{}"); // left over from an earlier failing run
        var outcome = Run(Evaluations.From(Baseline));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Passed), outcome.Message);
        Assert.That(_folder.Files(), Is.EqualTo(new[] { SnapshotFile + ".verified.json" }));
    }

    [Test]
    public void ApplyTo_SignificantDrop_FailsWithTableIntervalAndPValue()
    {
        Approve(Evaluations.From(Baseline));
        // 12 right->wrong per seed, 1 wrong->right: b = 36, c = 3 pooled, p ~ 1e-7.
        var dropped = Baseline.Select(items => Evaluations.Flip(items, lost: 12, gained: 1)).ToArray();
        var outcome = Run(Evaluations.From(dropped));
        TestContext.Out.WriteLine(outcome.Message); // the message as a user sees it, for the test log
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Failed));
        Assert.That(outcome.Message, Does.Contain("Accuracy dropped significantly: -0.0550"));
        Assert.That(outcome.Message, Does.Contain("95% CI [").And.Contain("exact McNemar p = ").And.Contain("b = 36").And.Contain("c = 3"));
        Assert.That(outcome.Message, Does.Contain("seed").And.Contain("approved").And.Contain("received"));
        Assert.That(outcome.Message, Does.Contain("right->wrong 12 items"));
        Assert.That(File.Exists(Received), Is.True);
    }

    [Test]
    public void ApplyTo_NoiseLevelChange_Passes()
    {
        Approve(Evaluations.From(Baseline));
        // 2 lost, 1 gained per seed: b = 6, c = 3, p = 0.51.
        var noisy = Baseline.Select(items => Evaluations.Flip(items, lost: 2, gained: 1)).ToArray();
        var outcome = Run(Evaluations.From(noisy));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Passed), outcome.Message);
        Assert.That(outcome.Output, Does.Contain("within noise"));
        Assert.That(File.Exists(Received), Is.False, "noise must not leave a received file (the baseline stays put)");
    }

    [Test]
    public void ApplyTo_NonSignificantDropBeyondTolerance_Fails()
    {
        Approve(Evaluations.From(Baseline));
        Scenario.MaxDrop = 0.005;
        var noisy = Baseline.Select(items => Evaluations.Flip(items, lost: 3, gained: 1)).ToArray(); // -0.01, p = 0.29
        var outcome = Run(Evaluations.From(noisy));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Failed));
        Assert.That(outcome.Message, Does.Contain("more than the tolerance 0.005"));
    }

    [Test]
    public void ApplyTo_ChangedData_IsInconclusive()
    {
        Approve(Evaluations.From(Baseline));
        var outcome = Run(Evaluations.From(Baseline, taskFingerprint: "task-fp-2"));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Inconclusive));
        Assert.That(outcome.Message, Does.Contain("task.fingerprint (template, label words, data): approved task-fp-1, received task-fp-2"));
        Assert.That(File.Exists(Received), Is.True, "the new inputs are written for re-approval");
    }

    [Test]
    public void ApplyTo_CpuSnapshotVersusBf16GpuRun_IsInconclusive()
    {
        Approve(Evaluations.From(Baseline));
        var outcome = Run(Evaluations.From(Baseline, "task-fp-1", device: "cuda:0", dtype: "bfloat16"));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Inconclusive));
        Assert.That(outcome.Message, Does.Contain("device: approved cpu, received cuda:0").And.Contain("dtype: approved float32, received bfloat16"));
    }

    [Test]
    public void ApplyTo_SignificantImprovement_PassesAndAsksToRatchet()
    {
        Approve(Evaluations.From(Baseline));
        var better = Baseline.Select(items => Evaluations.Flip(items, lost: 0, gained: 10)).ToArray();
        var outcome = Run(Evaluations.From(better));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Passed), outcome.Message);
        Assert.That(outcome.Output, Does.Contain("improved significantly").And.Contain("ratchet the baseline"));
        Assert.That(File.Exists(Received), Is.True);
    }

    [Test]
    public void ApplyTo_AcceptEnvironmentVariable_WritesVerifiedAndPasses()
    {
        var outcome = Run(Evaluations.From(Baseline), accept: true);
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Passed), outcome.Message);
        Assert.That(_folder.Files(), Is.EqualTo(new[] { SnapshotFile + ".verified.json" }));
    }

    [Test]
    public void Accept_ReceivedFromFailedRun_BecomesVerifiedAndNextRunPasses()
    {
        var first = Run(Evaluations.From(Baseline));
        Assert.That(first.ResultState.Status, Is.EqualTo(TestStatus.Failed));

        var accepted = SnapshotApproval.Accept(_folder.Path);

        Assert.That(accepted, Is.EqualTo(new[] { Verified }));
        Assert.That(_folder.Files(), Is.EqualTo(new[] { SnapshotFile + ".verified.json" }));
        Assert.That(Run(Evaluations.From(Baseline)).ResultState.Status, Is.EqualTo(TestStatus.Passed));
    }

    [Test]
    public void ApplyTo_ParameterisedCases_EachGetsItsOwnSnapshot()
    {
        Scenario.Result = Evaluations.From(Baseline);
        IReadOnlyList<ITestResult> outcomes;
        using (new EnvironmentScope(ci: false)) outcomes = NUnitRun.Fixture(typeof(ParameterisedSnapshotSample));
        Assert.That(outcomes.Select(o => o.ResultState.Status), Is.All.EqualTo(TestStatus.Failed));
        Assert.That(_folder.Files(), Is.EqualTo(new[]
        {
            "ParameterisedSnapshotSample.Evaluate_attn@-1-0.5_4.received.json",
            "ParameterisedSnapshotSample.Evaluate_mlp@-1-0.9_8.received.json",
        }));
    }

    sealed class DocumentComparer : IEqualityComparer<SnapshotDocument>
    {
        public bool Equals(SnapshotDocument? x, SnapshotDocument? y) =>
            x is not null && y is not null && SnapshotSerializer.Serialize(x) == SnapshotSerializer.Serialize(y);

        public int GetHashCode(SnapshotDocument obj) => 0;
    }
}
