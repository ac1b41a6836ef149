using IclPrune.Tool.Cli;

namespace IclPrune.Tool.Tests.Reliability;

/// <summary>The last-resort message: what a user sees if an exception escapes every validation (a bug).</summary>
public sealed class InternalErrorTests
{
    [Test]
    public void Report_UnexpectedException_NamesCommandErrorAndWhereToReportWithoutAStackTrace()
    {
        var error = new StringWriter();
        Exception thrown;
        try { throw new NullReferenceException("boom"); }
        catch (Exception e) { thrown = e; }

        InternalError.Report(error, ["eval", "--model", "/m odel", "--task", "x"], thrown);

        string text = error.ToString();
        Assert.That(text, Does.StartWith("internal error: NullReferenceException: boom"));
        Assert.That(text, Does.Contain("command: icl-prune eval --model '/m odel' --task x"));
        Assert.That(text, Does.Contain("this is a bug in icl-prune").And.Contain("report it"));
        Assert.That(text, Does.Not.Contain("   at "));
    }
}
