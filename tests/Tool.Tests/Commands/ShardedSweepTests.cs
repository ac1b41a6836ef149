using System.Diagnostics;
using IclPrune.Search;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>
/// `sweep --shard` and `sweep merge` end to end on the bundled tiny model, in separate processes as a cluster runs
/// them, started by the very scripts and manifests of docs/scale-out/ (docs/scale-out.md includes them).
/// </summary>
[NonParallelizable]
public sealed class ShardedSweepTests
{
    // 2 layers x mlp x 8 rates: 17 cells with the unpruned model, 15 evaluations.
    static readonly string[] SweepOptions = ["--model", "tiny", "--task", "synth-2way", "--seeds", "0", "--target", "mlp"];
    static readonly string[] ResultFiles = ["results.json", "results.csv", "results.md"];
    static string ScaleOut(string file) => Path.Combine(RepositoryLayout.Root, "docs", "scale-out", file);
    static string Tool => $"dotnet {RepositoryLayout.ToolAssembly}";

    string _work = "";
    string _reference = "";

    [OneTimeSetUp]
    public async Task RunUnshardedReference()
    {
        _work = Directory.CreateTempSubdirectory("icl-shards-").FullName;
        _reference = Path.Combine(_work, "unsharded");
        var run = await CliRun.InvokeAsync(["sweep", .. SweepOptions, "--out", _reference]);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
    }

    [OneTimeTearDown]
    public void Delete()
    {
        if (Environment.GetEnvironmentVariable("ICL_KEEP_TEST_OUTPUT") is null) Directory.Delete(_work, recursive: true);
        else TestContext.Out.WriteLine($"kept {_work}");
    }

    void AssertSameResults(string folder)
    {
        foreach (string file in ResultFiles)
            Assert.That(File.ReadAllText(Path.Combine(folder, file)), Is.EqualTo(File.ReadAllText(Path.Combine(_reference, file))), file);
        Assert.That(File.Exists(Path.Combine(folder, "heatmap-mlp.png")), Is.True);
    }

    static Process StartTool(IEnumerable<string> arguments, IDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepositoryLayout.ToolAssembly);
        foreach (string a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        return Process.Start(info)!;
    }

    /// <summary>A container of a Job manifest: its command line and environment.</summary>
    static (List<string> Command, Dictionary<string, string> Environment, YamlMappingNode Spec) Container(string manifest)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(manifest)) yaml.Load(reader);
        var spec = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["spec"];
        var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)spec["template"])["spec"])["containers"])[0];
        var command = ((YamlSequenceNode)container["command"]).Concat((YamlSequenceNode)container["args"]).Select(n => n.ToString()).ToList();
        var environment = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().ToDictionary(e => e["name"].ToString(), e => e["value"].ToString());
        return (command, environment, spec);
    }

    static ProcessRun RunContainer(List<string> command, Dictionary<string, string> environment) =>
        ProcessRun.Start(command[0], command.Skip(1), RepositoryLayout.Root, TimeSpan.FromMinutes(3), environment);

    [Test]
    public void KubernetesIndexedJob_EveryIndexThenMergeJob_EqualsUnshardedSweep()
    {
        string output = Path.Combine(_work, "kubernetes");
        var (command, environment, spec) = Container(ScaleOut("sweep-indexed-job.yaml"));
        int completions = int.Parse(spec["completions"].ToString());
        Assert.That(spec["completionMode"].ToString(), Is.EqualTo("Indexed"));
        Assert.That(environment[SchedulerShard.CountVariable], Is.EqualTo(completions.ToString()), "the shard count must equal completions");
        // What a user edits: the tool, the sweep and the output folder. Kubernetes adds JOB_COMPLETION_INDEX to each pod.
        environment["ICL_PRUNE"] = Tool;
        environment["SWEEP_OPTIONS"] = string.Join(" ", SweepOptions);
        environment["SWEEP_OUT"] = output;

        var pods = Enumerable.Range(0, completions)
            .Select(index => Task.Run(() => RunContainer(command, new(environment) { ["JOB_COMPLETION_INDEX"] = index.ToString() })))
            .ToList();
        foreach (var pod in pods) pod.Result.AssertSucceeded("a shard pod");
        Assert.That(Directory.GetFiles(Path.Combine(output, "shards"), "*.jsonl").Select(Path.GetFileName),
            Is.EquivalentTo(Enumerable.Range(1, completions).Select(k => $"{k}-of-{completions}.jsonl")));
        Assert.That(pods.Count(p => p.Result.Error.Contains("merged 3 shard journal(s)")), Is.GreaterThanOrEqualTo(1), "the last shard merges");
        File.Delete(Path.Combine(output, "results.json"));

        var (mergeCommand, mergeEnvironment, _) = Container(ScaleOut("sweep-merge-job.yaml"));
        mergeEnvironment["ICL_PRUNE"] = Tool;
        mergeEnvironment["SWEEP_OUT"] = output;
        var merge = RunContainer(mergeCommand, mergeEnvironment).AssertSucceeded("the merge Job");
        Assert.That(merge.Output, Does.Contain("# Sweep (validation split)"));
        AssertSameResults(output);
    }

    [Test]
    public async Task Shard_SecondProcessThenKilledMidwayThenRerun_RefusedThenResumesAndMergesToUnsharded()
    {
        string output = Path.Combine(_work, "killed");
        string journal = Path.Combine(output, "shards", "1-of-2.jsonl");
        using var process = StartTool(["sweep", .. SweepOptions, "--shard", "1/2", "--out", output], new Dictionary<string, string>());
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2) && !(File.Exists(journal) && CountLines(journal) >= 3))
            Thread.Sleep(5);
        Assert.That(process.HasExited, Is.False, "the shard finished before the test could run a second one; it needs a bigger grid");

        // The same shard again while the first runs: refused, naming the holder.
        var second = await CliRun.InvokeAsync(["sweep", .. SweepOptions, "--shard", "1/2", "--out", output]);
        Assert.That(second.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(second.Error, Does.Contain($"host {Environment.MachineName} pid {process.Id}"));

        Process.Start("kill", ["-9", process.Id.ToString()])!.WaitForExit();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(137));
        Assert.That(File.Exists(journal + ".lock"), Is.True, "SIGKILL leaves the lock behind");

        // The rerun (same host, the holder's pid is gone) takes the lock over and resumes the shard's own cells.
        var rerun = await CliRun.InvokeAsync(["sweep", .. SweepOptions, "--shard", "1/2", "--out", output]);
        Assert.That(rerun.ExitCode, Is.EqualTo(ExitCodes.Success), rerun.Error);
        Assert.That(rerun.Error, Does.Contain($"took over the stale lock of {journal} from host {Environment.MachineName} pid {process.Id}")
            .And.Contain("holder process is gone").And.Contain("resuming:").And.Contain("not done yet"));
        var last = await CliRun.InvokeAsync(["sweep", .. SweepOptions, "--shard", "2/2", "--out", output]);
        Assert.That(last.ExitCode, Is.EqualTo(ExitCodes.Success), last.Error);
        Assert.That(last.Error, Does.Contain("merged 2 shard journal(s)"));
        AssertSameResults(output);
    }

    [Test]
    public async Task Merge_ShardNeverRan_Exit1ListingItsCellsAndIndex()
    {
        string output = Path.Combine(_work, "missing");
        // Shard 2 of 3 in its own process, from a Slurm array's variables (--array=1-3: ids count from 1).
        var slurm = new Dictionary<string, string>
        {
            ["SLURM_ARRAY_TASK_ID"] = "2", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "3",
        };
        var task = ProcessRun.Start("dotnet", [RepositoryLayout.ToolAssembly, "sweep", .. SweepOptions, "--out", output],
            RepositoryLayout.Root, TimeSpan.FromMinutes(2), slurm).AssertSucceeded("the array task");
        Assert.That(task.Error, Does.Contain("shard 2/3 (SLURM_ARRAY_TASK_ID=2, SLURM_ARRAY_TASK_MIN=1"));
        var first = await CliRun.InvokeAsync(["sweep", .. SweepOptions, "--shard", "1/3", "--out", output]);
        Assert.That(first.ExitCode, Is.EqualTo(ExitCodes.Success), first.Error);

        var merge = await CliRun.InvokeAsync("sweep", "merge", output);

        Assert.That(merge.ExitCode, Is.EqualTo(ExitCodes.Failure));
        var grid = new SweepGrid([0, 1], ["mlp"], IclPrune.Pruning.RateGrid.Paper);
        var third = ShardAssignment.Of(grid, 2, 3).KeysOf(3);
        Assert.That(third, Is.Not.Empty);
        foreach (string key in third) Assert.That(merge.Error, Does.Contain($"  {key} (shard 3/3)"));
        Assert.That(merge.Error, Does.Contain("run (or rerun, same index) shard(s) 3/3"));
        Assert.That(File.Exists(Path.Combine(output, "results.json")), Is.False);
    }

    [Test]
    public void GitHubActionsMatrix_ShardsOneToCount_MergeNeedsThemAndReadsTheirJournals()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(ScaleOut("github-actions-sweep.yml"))) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        int shards = int.Parse(((YamlMappingNode)root["env"])["SHARDS"].ToString());
        var jobs = (YamlMappingNode)root["jobs"];
        var shard = (YamlMappingNode)jobs["shard"];
        var matrix = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)shard["strategy"])["matrix"])["shard"];
        Assert.That(matrix.Select(n => int.Parse(n.ToString())), Is.EqualTo(Enumerable.Range(1, shards)));
        string steps = string.Join("\n", ((YamlSequenceNode)shard["steps"]).Cast<YamlMappingNode>().SelectMany(s => s.Children.Values).Select(v => v.ToString()));
        Assert.That(steps, Does.Contain("--shard ${{ matrix.shard }}/$SHARDS --out sweep").And.Contain("sweep/shards/*.jsonl"));
        var merge = (YamlMappingNode)jobs["merge"];
        Assert.That(merge["needs"].ToString(), Is.EqualTo("shard"));
        string mergeSteps = string.Join("\n", ((YamlSequenceNode)merge["steps"]).Cast<YamlMappingNode>().SelectMany(s => s.AllNodes).Select(v => v.ToString()));
        Assert.That(mergeSteps, Does.Contain("sweep merge sweep").And.Contain("sweep/shards"));
    }

    [Test]
    public void ScaleOutDoc_IncludesEveryScriptVerbatim()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "docs", "scale-out.md"));
        foreach (string file in Directory.GetFiles(Path.Combine(RepositoryLayout.Root, "docs", "scale-out")))
            Assert.That(doc, Does.Contain(File.ReadAllText(file).TrimEnd()), $"docs/scale-out.md must include {Path.GetFileName(file)} as it is");
    }

    [Test]
    public void SlurmArray_SubmitScriptWithMergeJob_MergedEqualsUnsharded()
    {
        var missing = SlurmCluster.Missing();
        if (missing.Count > 0)
        {
            string message = $"Slurm is not installed ({string.Join(", ", missing)} missing; .ci/run installs slurmctld slurmd slurm-client munge)";
            if (IsCi()) Assert.Fail(message + ": in CI this test must run");
            Assert.Ignore(message);
        }
        string output = Path.Combine(_work, "slurm");
        using var cluster = new SlurmCluster();
        var environment = cluster.ClientEnvironment();
        environment["ICL_PRUNE"] = Tool;
        var submit = ProcessRun.Start("bash", [ScaleOut("submit-sweep.sh"), output, "3", .. SweepOptions], _work, TimeSpan.FromMinutes(1), environment);
        Assert.That(submit.ExitCode, Is.EqualTo(0), submit.All + cluster.Logs());
        var ids = submit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(ids, Has.Length.EqualTo(2), submit.All);
        cluster.Track(ids[0]);
        cluster.Track(ids[1]);

        string state = cluster.WaitForEnd(ids[1], TimeSpan.FromMinutes(3));

        string logs = string.Join("\n", Directory.GetFiles(Path.Combine(output, "logs")).Order().Select(f => $"--- {f}\n{File.ReadAllText(f)}"));
        Assert.That(state, Is.EqualTo("COMPLETED"), logs + cluster.Logs());
        Assert.That(Directory.GetFiles(Path.Combine(output, "shards"), "*.jsonl").Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "1-of-3.jsonl", "2-of-3.jsonl", "3-of-3.jsonl" }), logs);
        Assert.That(File.ReadAllText(Path.Combine(output, "logs", "merge.log")), Does.Contain("merged 3 shard journal(s)"));
        AssertSameResults(output);
    }

    static bool IsCi() => Environment.GetEnvironmentVariable("CI")?.Trim().ToLowerInvariant() is "true" or "1" or "yes";

    static int CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int lines = 0;
        int b;
        while ((b = stream.ReadByte()) >= 0) if (b == '\n') lines++;
        return lines;
    }
}
