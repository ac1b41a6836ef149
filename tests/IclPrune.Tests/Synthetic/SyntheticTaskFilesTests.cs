using IclPrune.Synthetic;

namespace IclPrune.Tests.Synthetic;

public sealed class SyntheticTaskFilesTests
{
    static readonly string BuiltInFolder = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory,
        "..", "..", "..", "..", "..", "src", "IclPrune", "Evaluation", "Tasks", "BuiltIn"));

    [Test]
    public void Write_SameSeedTwice_ByteIdenticalFiles()
    {
        string a = Temp(), b = Temp();
        try
        {
            var first = SyntheticTaskFiles.Write(SyntheticWorld.Create(), a);
            SyntheticTaskFiles.Write(SyntheticWorld.Create(), b);
            Assert.That(first, Has.Count.EqualTo(SyntheticTask.All.Count * 4));
            foreach (string file in first)
                Assert.That(File.ReadAllBytes(Path.Combine(b, Path.GetRelativePath(a, file))), Is.EqualTo(File.ReadAllBytes(file)), file);
        }
        finally
        {
            Directory.Delete(a, true);
            Directory.Delete(b, true);
        }
    }

    [Test]
    public void Write_DefaultWorld_MatchesTheCommittedTaskFiles()
    {
        // The committed YAML/JSONL must be what generate-synthetic writes today (regenerate them when this fails).
        string folder = Temp();
        try
        {
            foreach (string file in SyntheticTaskFiles.Write(SyntheticWorld.Create(), folder))
            {
                string committed = Path.Combine(BuiltInFolder, Path.GetRelativePath(folder, file));
                Assert.That(File.Exists(committed), committed);
                Assert.That(File.ReadAllText(committed), Is.EqualTo(File.ReadAllText(file)), committed);
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Test]
    public void Write_JsonlRows_CarryTheTaskLabelWords()
    {
        string folder = Temp();
        try
        {
            SyntheticTaskFiles.Write(SyntheticWorld.Create(), folder);
            var task = SyntheticTask.BuiltIn[0];
            var labels = task.LabelWords(SyntheticWorld.Create());
            var rows = File.ReadAllLines(Path.Combine(folder, task.Name, "test.jsonl"))
                .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
            Assert.That(rows, Has.Count.EqualTo(task.TestPerClass * task.ClassCount));
            Assert.That(rows.Select(r => r.GetProperty("label").GetString()).Distinct(), Is.EquivalentTo(labels));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    static string Temp() => Path.Combine(Path.GetTempPath(), $"synth-{Guid.NewGuid():N}");
}
