using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

public class SyntheticCommandsTests
{
    [Test]
    public async Task GenerateSynthetic_Out_WritesYamlAndJsonlPerTask()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"synth-cli-{Guid.NewGuid():N}");
        try
        {
            var run = await CliRun.InvokeAsync("dev", "generate-synthetic", "--out", folder);
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
            foreach (string task in new[] { "synth-2way", "synth-4way", "synth-recall" })
            {
                Assert.That(File.ReadAllText(Path.Combine(folder, task + ".yaml")), Does.Contain($"id: {task}"));
                foreach (string split in new[] { "train", "validation", "test" })
                    Assert.That(File.ReadAllLines(Path.Combine(folder, task, split + ".jsonl")), Is.Not.Empty, $"{task}/{split}");
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Test]
    public async Task Tasks_BuiltIn_ListsTheSyntheticTasksWithBundledData()
    {
        var run = await CliRun.InvokeAsync("tasks", "--json");
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        using var json = System.Text.Json.JsonDocument.Parse(run.Output);
        var ids = json.RootElement.EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToList();
        Assert.That(ids, Is.SupersetOf(new[] { "synth-2way", "synth-4way", "synth-recall" }));
    }
}
