using System.Diagnostics;
using System.Text.Json;
using IclPrune.Search;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Reliability;

/// <summary>
/// SIGTERM (what Slurm and Kubernetes send on preemption) stops a sweep in the same orderly way as Ctrl+C: the journal
/// keeps every finished cell, the exit code is 143, and a rerun resumes (issue 17).
/// </summary>
[NonParallelizable]
public sealed class SigtermTests
{
    [Test]
    public async Task Sweep_Sigterm_StopsWith143AndAJournalThatResumes()
    {
        using var model = Gpt2Checkpoints.ForCommands(seed: 12);
        string work = Directory.CreateTempSubdirectory("icl-term-").FullName;
        try
        {
            string task = TinySentimentTask.Write(work);
            string folder = Path.Combine(work, "sweep");
            string[] args = ["sweep", "--model", model.Folder, "--task", task, "--data", work, "--seeds", "0,1",
                "--layers", "all", "--target", "mlp", "--target", "attn", "--out", folder];   // 3 x 2 x 8 cells

            var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
            info.ArgumentList.Add(RepositoryLayout.ToolAssembly);
            foreach (string a in args) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            string journal = Path.Combine(folder, SweepJournal.FileName);
            // Wait for the header, the unpruned line and two cells; then terminate.
            var stderr = new List<string>();
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                stderr.Add(line);
                // Plain progress (stderr is redirected): "sweep: 2/48 cells (4%) - ..." once the second cell is in.
                if (line.StartsWith("sweep: 2/", StringComparison.Ordinal)) break;
            }
            Assert.That(process.HasExited, Is.False, "the sweep finished before SIGTERM; the test needs a bigger grid:\n" + string.Join("\n", stderr));
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
            string rest = await process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill();
            await output;

            Assert.That(process.ExitCode, Is.EqualTo(ExitCodes.Terminated), rest);
            Assert.That(rest, Does.Contain("terminated (SIGTERM)"));
            var lines = File.ReadAllLines(journal);
            Assert.That(lines.Length, Is.GreaterThanOrEqualTo(4), "header, unpruned and at least two cells");
            foreach (string line in lines) Assert.DoesNotThrow(() => JsonDocument.Parse(line).Dispose(), line);

            var resumed = await CliRun.InvokeAsync(args);
            Assert.That(resumed.ExitCode, Is.EqualTo(ExitCodes.Success), resumed.Error);
            Assert.That(resumed.Error, Does.Contain("resuming"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
