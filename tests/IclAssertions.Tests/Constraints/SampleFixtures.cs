using IclAssertions.Tests.Support;

namespace IclAssertions.Tests.Constraints;

// Fixtures that the constraint tests run through NUnit's runner (Support/NUnitRun). [Explicit]: they only run when
// a test selects them, with Scenario filled in; a plain `dotnet test` skips them.

[Explicit("Run by ApprovedSnapshotConstraintTests through NUnitRun with Scenario set.")]
public class SnapshotSample
{
    [Test]
    public void Evaluate()
    {
        var constraint = Matches.ApprovedSnapshot().InFolder(Scenario.Folder);
        if (Scenario.MaxDrop is { } maxDrop) constraint.WithTolerance(maxDrop);
        Assert.That(Scenario.Result, constraint);
    }
}

[Explicit("Run by ApprovedSnapshotConstraintTests through NUnitRun with Scenario set.")]
public class ParameterisedSnapshotSample
{
    [TestCase("mlp@-1:0.9", 8)]
    [TestCase("attn@-1:0.5", 4)]
    public void Evaluate(string prune, int shots)
    {
        Assert.That(Scenario.Result, Matches.ApprovedSnapshot().InFolder(Scenario.Folder));
    }
}

[Explicit("Run by SignificantlyWorseThanConstraintTests through NUnitRun with Scenario set.")]
public class NotWorseSample
{
    [Test]
    public void Compare()
    {
        Assert.That(Scenario.Result, Is.Not.SignificantlyWorseThan(Scenario.Baseline!));
    }
}

[Explicit("Run by GpuTestsTests through NUnitRun.")]
public class GpuSample
{
    [Test, Category(IclAssertions.Gpu.GpuTests.Category)]
    public void NeedsCuda() => IclAssertions.Gpu.GpuTests.RequireCuda();
}

[Explicit("Run by GateScenarioTests through NUnitRun with Scenario.Gate set.")]
public class TinyGateSample
{
    [Test]
    public async Task Evaluate()
    {
        var s = Scenario.Gate!;
        var eval = IclEval.Model(s.Model).Task("synth-4way").Seeds(0, 1, 2).Shots(s.Shots).WithDType(s.DType);
        if (s.Prune is { } prune) eval = eval.Prune(prune);
        Assert.That(await eval.RunAsync(), Matches.ApprovedSnapshot().InFolder(Scenario.Folder));
    }
}
