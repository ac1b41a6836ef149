using IclAssertions.Snapshots;

namespace IclAssertions.Tests.Snapshots;

public class SnapshotNameTests
{
    [Test]
    public void ForCurrentTest_PlainTest_UsesClassMethodAndSourceFolder()
    {
        var paths = SnapshotName.ForCurrentTest(ThisFile());
        Assert.That(paths.Verified, Is.EqualTo(Path.Combine(Path.GetDirectoryName(ThisFile())!,
            "SnapshotNameTests.ForCurrentTest_PlainTest_UsesClassMethodAndSourceFolder.verified.json")));
    }

    [TestCase("mlp@-1:0.9", 0.95, 3)]
    public void ForCurrentTest_TestCase_AppendsSanitisedArguments(string prune, double rate, int layer)
    {
        var paths = SnapshotName.ForCurrentTest(ThisFile());
        Assert.That(Path.GetFileName(paths.Received),
            Is.EqualTo("SnapshotNameTests.ForCurrentTest_TestCase_AppendsSanitisedArguments_mlp@-1-0.9_0.95_3.received.json"));
    }

    [Test]
    public void ForCurrentTest_MissingSourceFolder_ExplainsWhat()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SnapshotName.ForCurrentTest("/nowhere/at/all/Tests.cs"));
        Assert.That(e!.Message, Does.Contain("/nowhere/at/all").And.Contain(".InFolder"));
    }

    [Test]
    public void ParameterSuffix_ArraysAndNull_AreJoined()
    {
        Assert.That(SnapshotName.ParameterSuffix([new[] { 0, 1, 2 }, null]), Is.EqualTo("_0,1,2_null"));
    }

    static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
