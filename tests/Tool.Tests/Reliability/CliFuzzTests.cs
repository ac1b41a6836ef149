using System.Text;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Reliability;

/// <summary>
/// The command tree with bad values for every kind of option and with broken model folders, in-process. Each case
/// must end with exit 1 (bad input) or 2 (bad command line) and a message, never the internal-error handler, a stack
/// trace or exit 0 (issue 17: 0 crashes, 0 silent successes).
/// </summary>
[NonParallelizable]
public sealed class CliFuzzTests
{
    static string _work = "";
    static TinyCheckpoint? _model;

    /// <summary>Broken copies of a valid model folder, by name, and the files each one changes.</summary>
    static readonly (string Name, Action<string> Break)[] BrokenFolders =
    [
        ("config-bos-as-string", f => Edit(f, "config.json", t => t.Replace("\"bos_token_id\":0", "\"bos_token_id\":\"1314\""))),
        ("config-negative-inner", f => Edit(f, "config.json", t => t.Replace("\"n_inner\":37", "\"n_inner\":-37"))),
        ("config-huge-vocab", f => Edit(f, "config.json", t => t.Replace("\"vocab_size\":262", "\"vocab_size\":2147483647"))),
        ("config-not-json", f => File.WriteAllText(Path.Combine(f, "config.json"), "{\"model_type\":")),
        ("config-missing", f => File.Delete(Path.Combine(f, "config.json"))),
        ("weights-missing", f => File.Delete(Path.Combine(f, "model.safetensors"))),
        ("weights-truncated", f => Bytes(f, "model.safetensors", b => b[..(b.Length / 2)])),
        ("weights-header-cut-by-4", f => Bytes(f, "model.safetensors", b => { BitConverter.GetBytes(BitConverter.ToUInt64(b) - 4).CopyTo(b, 0); return b; })),
        ("weights-offsets-as-strings", f => Bytes(f, "model.safetensors", b => ReplaceInHeader(b, "\"data_offsets\":[0,", "\"data_offsets\":[\"0\","))),
        ("weights-empty", f => File.WriteAllBytes(Path.Combine(f, "model.safetensors"), [])),
        ("weights-are-a-folder", f => { File.Delete(Path.Combine(f, "model.safetensors")); Directory.CreateDirectory(Path.Combine(f, "model.safetensors")); }),
    ];

    static void Edit(string folder, string file, Func<string, string> change)
    {
        string path = Path.Combine(folder, file);
        string before = File.ReadAllText(path), after = change(before);
        Assert.That(after, Is.Not.EqualTo(before), $"the break of {file} applies");
        File.WriteAllText(path, after);
    }

    static void Bytes(string folder, string file, Func<byte[], byte[]> change)
    {
        string path = Path.Combine(folder, file);
        File.WriteAllBytes(path, change(File.ReadAllBytes(path)));
    }

    /// <summary>Same-length edits keep the header length right, so only the edited value is wrong.</summary>
    static byte[] ReplaceInHeader(byte[] bytes, string from, string to)
    {
        int headerLength = (int)BitConverter.ToUInt64(bytes);
        string header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        Assert.That(header, Does.Contain(from));
        string changed = header.Replace(from, to).TrimEnd();
        changed = changed.Length <= headerLength ? changed.PadRight(headerLength) : throw new InvalidOperationException("edit too long");
        var result = (byte[])bytes.Clone();
        Encoding.UTF8.GetBytes(changed).CopyTo(result, 8);
        return result;
    }

    static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, params string[] args) => new TestCaseData((object)args).SetName($"Run_{name}_ClearError");
        string[] eval = ["eval", "--model", "tiny", "--task", "synth-2way", "--limit", "4"];
        foreach (var (name, option, value) in new[]
                 {
                     ("SeedsLetters", "--seeds", "a"), ("SeedsEmpty", "--seeds", ""), ("SeedsRepeated", "--seeds", "1,1"), ("SeedsNegativeText", "--seeds", "-"),
                     ("ShotsNegative", "--shots", "-1"), ("ShotsText", "--shots", "x"), ("LimitZero", "--limit", "0"), ("LimitNegative", "--limit", "-3"),
                     ("BatchZero", "--batch-size", "0"), ("BatchNegative", "--batch-size", "-1"), ("SplitUnknown", "--split", "nope"),
                     ("DtypeUnknown", "--dtype", "fp8"), ("DeviceUnknown", "--device", "tpu"), ("DeviceCudaIndexText", "--device", "cuda:x"),
                     ("PruneGarbage", "--prune", "bad"), ("PruneLayerOutside", "--prune", "mlp@99:0.5"), ("PruneRateAbove1", "--prune", "mlp@0:1.5"),
                     ("PruneRateNegative", "--prune", "mlp@0:-0.1"), ("PruneTargetUnknown", "--prune", "nope@0:0.5"), ("PruneFileMissing", "--prune-file", "/nonexistent.yaml"),
                     ("DataMissing", "--data", "/nonexistent"), ("OutIsProc", "--out", "/proc/x"), ("OutIsDevice", "--out", "/dev/full"),
                     ("OutIsFolder", "--out", "/tmp"), ("ColumnUnknown", "--column", "nope=x"),
                 })
            yield return Case($"Eval_{name}", [.. eval, option, value]);
        yield return Case("Eval_TaskUnknown", "eval", "--model", "tiny", "--task", "nope");
        yield return Case("Eval_TaskFileMissing", "eval", "--model", "tiny", "--task", "/nonexistent/task.yaml");
        yield return Case("Eval_ModelMissing", "eval", "--model", "/nonexistent", "--task", "synth-2way");
        yield return Case("Eval_ModelEmptyName", "eval", "--model", "", "--task", "synth-2way");
        yield return Case("Eval_UnknownOption", [.. eval, "--nope"]);

        string[] logprobs = ["logprobs", "--model", "tiny"];
        yield return Case("Logprobs_IdsLetters", [.. logprobs, "--token-ids", "a,b"]);
        yield return Case("Logprobs_IdsNegative", [.. logprobs, "--token-ids", "1,-1"]);
        yield return Case("Logprobs_IdsOutsideVocabulary", [.. logprobs, "--token-ids", "1,99999999999"]);
        yield return Case("Logprobs_OneId", [.. logprobs, "--token-ids", "1"]);
        yield return Case("Logprobs_TextAndIds", [.. logprobs, "--text", "a b", "--token-ids", "1,2"]);
        yield return Case("Logprobs_Neither", [.. logprobs]);

        string[] sweep = ["sweep", "--model", "tiny", "--task", "synth-2way", "--limit", "4", "--out", "/tmp/icl-fuzz-never-written"];
        foreach (var (name, option, value) in new[]
                 {
                     ("RatesText", "--rates", "x"), ("RateAbove1", "--rates", "0,2"), ("RatesEmpty", "--rates", ""), ("LayersOutside", "--layers", "99"),
                     ("LayersText", "--layers", "a-b"), ("TargetUnknown", "--target", "nope"), ("SplitUnknown", "--split", "x"),
                 })
            yield return Case($"Sweep_{name}", [.. sweep, option, value]);

        string[] search = ["search", "--model", "tiny", "--task", "synth-2way", "--limit", "4"];
        foreach (var (name, option, value) in new[]
                 {
                     ("TopKZero", "--top-k", "0"), ("TopKNegative", "--top-k", "-1"), ("TopKText", "--top-k", "x"), ("ModuleUnknown", "--module", "nope"),
                     ("CondReduceUnknown", "--cond-reduce", "nope"), ("RatesText", "--rates", "x"), ("OutIsProc", "--out", "/proc/x"),
                 })
            yield return Case($"Search_{name}", [.. search, option, value]);

        yield return Case("Inspect_SpectraRatesText", "inspect", "--model", "tiny", "--spectra", "--rates", "x");
        yield return Case("Inspect_SpectraPrecisionUnknown", "inspect", "--model", "tiny", "--spectra", "--spectra-precision", "float16");
        yield return Case("Inspect_SpectraOutIsDevice", "inspect", "--model", "tiny", "--spectra", "--rates", "0.5", "--spectra-out", "/dev/null");
        yield return Case("Convert_ShardSizeText", "convert", "--model", "tiny", "--out", "/tmp/icl-fuzz-convert-never", "--max-shard-size", "x");
        yield return Case("Convert_ShardSizeZero", "convert", "--model", "tiny", "--out", "/tmp/icl-fuzz-convert-never", "--max-shard-size", "0");
        yield return Case("Convert_ModelMissing", "convert", "--model", "/nonexistent", "--out", "/tmp/icl-fuzz-convert-never");
        yield return Case("Export_NoPrune", "export", "--model", "tiny", "--out", "/tmp/icl-fuzz-export-never");
        yield return Case("Export_OutIsDevice", "export", "--model", "tiny", "--prune", "mlp@0:0.5", "--out", "/dev/null");
        yield return Case("TasksShow_Unknown", "tasks", "show", "nope");
        yield return Case("Snapshots_AcceptMissingFolder", "snapshots", "accept", "/nonexistent");
        yield return Case("Demo_OutIsProc", "demo", "--out", "/proc/x", "--seeds", "0");
        yield return Case("Demo_SeedsText", "demo", "--out", "/tmp/icl-fuzz-demo-never", "--seeds", "x");
        yield return Case("DevGenerateSynthetic_OutIsProc", "dev", "generate-synthetic", "--out", "/proc/x");
        yield return Case("DevBenchmark_HugeVocabulary", "dev", "benchmark", "--vocab", "2000000000", "--hidden", "4096", "--iterations", "1");
        yield return Case("DevBenchmark_BatchesText", "dev", "benchmark", "--batches", "x", "--layers", "1", "--hidden", "24", "--heads", "2", "--vocab", "50");
        yield return Case("UnknownCommand", "nope");

        foreach (var (name, _) in BrokenFolders)
        {
            yield return new TestCaseData((object)new[] { "inspect", "--model", $"{{broken:{name}}}" }).SetName($"Run_Inspect_{name}_ClearError");
            yield return new TestCaseData((object)new[] { "logprobs", "--model", $"{{broken:{name}}}", "--token-ids", "1,2,3" }).SetName($"Run_Logprobs_{name}_ClearError");
        }
    }

    [OneTimeSetUp]
    public void CreateFolders()
    {
        _model = Gpt2Checkpoints.ForCommands(seed: 13);
        _work = Directory.CreateTempSubdirectory("icl-cli-fuzz-").FullName;
        foreach (var (name, breakIt) in BrokenFolders)
        {
            string folder = Path.Combine(_work, name);
            Directory.CreateDirectory(folder);
            foreach (string file in Directory.GetFiles(_model.Folder)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            breakIt(folder);
        }
    }

    [OneTimeTearDown]
    public void DeleteFolders()
    {
        _model?.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Run_BadInput_ClearError(string[] args)
    {
        args = args.Select(a => a.StartsWith("{broken:", StringComparison.Ordinal) ? Path.Combine(_work, a[8..^1]) : a).ToArray();
        var run = await CliRun.InvokeAsync(args);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failure).Or.EqualTo(ExitCodes.Usage),
            $"silent success or odd exit {run.ExitCode}:\n{run.Output}\n{run.Error}");
        Assert.That(run.Error, Does.Not.Contain("internal error"), "crash");
        Assert.That(run.Error, Does.Not.Contain("   at "), "stack trace");
        Assert.That(run.Error.Trim(), Is.Not.Empty, "a message says what was wrong");
    }
}
