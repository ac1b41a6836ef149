using System.Reflection;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace IclAssertions.Tests.Support;

/// <summary>
/// Runs [Explicit] sample fixtures of this assembly through NUnit's own runner (the one NUnitLite uses) and returns
/// the leaf results, so tests can check real NUnit outcomes (Passed / Failed / Inconclusive) and messages.
/// The run happens on its own thread without the outer test's execution context, so the nested NUnit context
/// never leaks into the running test.
/// </summary>
static class NUnitRun
{
    public static IReadOnlyList<ITestResult> Fixture(Type fixture)
    {
        ITestResult? root = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
                runner.Load(fixture.Assembly, new Dictionary<string, object>());
                var filter = TestFilter.FromXml($"<filter><class>{fixture.FullName}</class></filter>");
                root = runner.Run(TestListener.NULL, filter);
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        using (ExecutionContext.SuppressFlow()) thread.Start();
        thread.Join();
        if (error is not null) throw new InvalidOperationException("The nested NUnit run failed to start.", error);
        var leaves = new List<ITestResult>();
        Collect(root!, leaves);
        if (leaves.Count == 0) throw new InvalidOperationException($"The nested run found no test in {fixture.FullName}.");
        return leaves;
    }

    public static ITestResult Single(Type fixture) => Fixture(fixture).Single();

    static void Collect(ITestResult result, List<ITestResult> leaves)
    {
        if (!result.HasChildren) { if (!result.Test.IsSuite) leaves.Add(result); return; }
        foreach (var child in result.Children) Collect(child, leaves);
    }
}
