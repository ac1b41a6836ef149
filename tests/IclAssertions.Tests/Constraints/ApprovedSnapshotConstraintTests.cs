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

    ITestResult Run(IclPrune.Evaluation.EvaluationResult result, bool ci = false, string? accept = null)
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
        Assert.That(SnapshotSerializer.Read(Received), Is.EqualTo(SnapshotDocument.From(Evaluations.From(Baseline)) with { Gate = IclAssertions.Gate.GateOptions.Default }).Using(new DocumentComparer()));
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
    public void ApplyTo_SignificantDrop_FailsWithDeltaIntervalPValueAndItems()
    {
        Approve(Evaluations.From(Baseline));
        // 12 right->wrong per seed, 1 wrong->right: accuracy 0.8000 -> 0.7450.
        var dropped = Baseline.Select(items => Evaluations.Flip(items, lost: 12, gained: 1)).ToArray();
        var outcome = Run(Evaluations.From(dropped));
        TestContext.Out.WriteLine(outcome.Message); // the message as a user sees it, for the test log
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Failed));
        Assert.That(outcome.Message, Does.Contain("Accuracy dropped significantly: 0.8000 -> 0.7450, delta -0.0550"));
        Assert.That(outcome.Message, Does.Contain("95% CI [").And.Contain("one-sided p(drop) = ").And.Contain("item-clustered sign-flip"));
        Assert.That(outcome.Message, Does.Contain("item(s) worse").And.Contain("query "));
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
        Assert.That(outcome.Output, Does.Contain("not a significant drop"));
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
    public void ApplyTo_ChangedData_FailsAsStale()
    {
        Approve(Evaluations.From(Baseline));
        var outcome = Run(Evaluations.From(Baseline, taskFingerprint: "task-fp-2"));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Failed));
        Assert.That(outcome.Message, Does.Contain("Stale snapshot").And.Contain("task fingerprint (template, label words, data): task-fp-1 -> task-fp-2"));
        Assert.That(File.Exists(Received), Is.True, "the new inputs are written for re-approval");
    }

    [Test]
    public void ApplyTo_CpuSnapshotVersusBf16GpuRun_ComparesAndPasses()
    {
        Approve(Evaluations.From(Baseline));
        var outcome = Run(Evaluations.From(Baseline, "task-fp-1", device: "cuda:0", dtype: "bfloat16"));
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Passed), outcome.Message);
        Assert.That(outcome.Output, Does.Contain("Compared across").And.Contain("device: cpu -> cuda").And.Contain("dtype: float32 -> bfloat16"));
        Assert.That(File.Exists(Received), Is.True, "a pass across a change leaves the new metadata to accept");
    }

    [Test]
    public void ApplyTo_CpuSnapshotVersusGpuRunOnCi_PassesWritesNothingAndAttaches()
    {
        Approve(Evaluations.From(Baseline));
        var outcome = Run(Evaluations.From(Baseline, "task-fp-1", device: "cuda:0"), ci: true);
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Passed), outcome.Message);
        Assert.That(_folder.Files(), Is.EqualTo(new[] { SnapshotFile + ".verified.json" }));
        Assert.That(outcome.TestAttachments.Select(a => Path.GetFileName(a.FilePath)),
            Is.EquivalentTo(new[] { SnapshotFile + ".received.json", SnapshotFile + ".verdict.txt" }));
    }

    [Test]
    public void ApplyTo_DropOnCiWithStepSummary_AppendsFailRow()
    {
        Approve(Evaluations.From(Baseline));
        string summary = Path.Combine(_folder.Path, "..", Path.GetFileName(_folder.Path) + "-summary.md");
        string? before = Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY");
        Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", summary);
        try
        {
            var dropped = Baseline.Select(items => Evaluations.Flip(items, lost: 20, gained: 0)).ToArray();
            var outcome = Run(Evaluations.From(dropped), ci: true);
            Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Failed));
            string text = File.ReadAllText(summary);
            Assert.That(text, Does.Contain("| eval | outcome |").And.Contain("| SnapshotSample.Evaluate | **FAIL** SignificantDrop | 0.8000 | 0.7000 | -0.1000 |"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", before);
            File.Delete(summary);
        }
    }

    [Test]
    public void ApplyTo_AcceptVariableOnADrop_RefusesAndKeepsTheApprovedSnapshot()
    {
        Approve(Evaluations.From(Baseline));
        string approvedText = File.ReadAllText(Verified);
        var dropped = Baseline.Select(items => Evaluations.Flip(items, lost: 20, gained: 0)).ToArray();
        var outcome = Run(Evaluations.From(dropped), accept: "1");
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Failed));
        Assert.That(outcome.Message, Does.Contain("does not approve an accuracy drop").And.Contain("ICL_PRUNE_ACCEPT=drop"));
        Assert.That(File.ReadAllText(Verified), Is.EqualTo(approvedText));

        var forced = Run(Evaluations.From(dropped), accept: "drop");
        Assert.That(forced.ResultState.Status, Is.EqualTo(TestStatus.Passed), forced.Message);
        Assert.That(SnapshotSerializer.Read(Verified).Accuracy, Is.EqualTo(0.7).Within(1e-9));
    }

    [Test]
    public void Accept_ReceivedDrop_RefusedUnlessAcceptDrops()
    {
        Approve(Evaluations.From(Baseline));
        var dropped = Baseline.Select(items => Evaluations.Flip(items, lost: 20, gained: 0)).ToArray();
        Assert.That(Run(Evaluations.From(dropped)).ResultState.Status, Is.EqualTo(TestStatus.Failed));

        var refused = SnapshotApproval.Accept(_folder.Path);
        Assert.That(refused.Accepted, Is.Empty);
        Assert.That(refused.Refused.Single().Verdict!.Outcome, Is.EqualTo(IclAssertions.Gate.GateOutcome.SignificantDrop));
        Assert.That(File.Exists(Received), Is.True);

        var forced = SnapshotApproval.Accept(_folder.Path, acceptDrops: true);
        Assert.That(forced.Accepted, Is.EqualTo(new[] { Verified }));
        Assert.That(File.Exists(Received), Is.False);
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
        var outcome = Run(Evaluations.From(Baseline), accept: "1");
        Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Passed), outcome.Message);
        Assert.That(_folder.Files(), Is.EqualTo(new[] { SnapshotFile + ".verified.json" }));
    }

    [Test]
    public void Accept_ReceivedFromFailedRun_BecomesVerifiedAndNextRunPasses()
    {
        var first = Run(Evaluations.From(Baseline));
        Assert.That(first.ResultState.Status, Is.EqualTo(TestStatus.Failed));

        var accepted = SnapshotApproval.Accept(_folder.Path);

        Assert.That(accepted.Accepted, Is.EqualTo(new[] { Verified }));
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
