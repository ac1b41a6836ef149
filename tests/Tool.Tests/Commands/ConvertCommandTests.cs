using IclPrune.Checkpoints;
using IclPrune.Runtime;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>Runs `convert` on the committed .bin test checkpoint (written by make_torch_zip.py in torch.save's format).</summary>
public class ConvertCommandTests
{
    static string TorchZip => Path.Combine(AppContext.BaseDirectory, "TorchZip");
    string _dir = "";
    string _model = "";

    [OneTimeSetUp]
    public void InitTorch() => TorchRuntime.EnsureInitialized();

    [SetUp]
    public void CreateModelFolder()
    {
        _dir = Directory.CreateTempSubdirectory("convert-").FullName;
        _model = Path.Combine(_dir, "model");
        Directory.CreateDirectory(_model);
        File.Copy(Path.Combine(TorchZip, "single", "pytorch_model.bin"), Path.Combine(_model, "pytorch_model.bin"));
        File.WriteAllText(Path.Combine(_model, "config.json"), """{"model_type": "gpt2"}""");
        File.WriteAllText(Path.Combine(_model, "tokenizer.json"), "{}");
        File.WriteAllText(Path.Combine(_model, "training_args.bin"), "pickle we must not copy");
    }

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    static void ExpectSameTensors(string folder)
    {
        using var expected = SafetensorsFile.Open(Path.Combine(TorchZip, "expected.safetensors"));
        using var written = SafetensorsCheckpoint.Open(folder);
        Assert.That(written.TensorNames, Is.EquivalentTo(expected.Entries.Keys));
        foreach (var name in expected.Entries.Keys)
        {
            using var want = expected.Read(name);
            using var got = written.Read(name);
            Assert.That(got.dtype, Is.EqualTo(want.dtype), name);
            Assert.That(got.shape, Is.EqualTo(want.shape), name);
            Assert.That(got.bytes.SequenceEqual(want.bytes), Is.True, name);
        }
    }

    [Test]
    public async Task Convert_OutIsModelFolder_ExitsTwoNamingOut()
    {
        var run = await CliRun.InvokeAsync("convert", "--model", _model, "--out", _model);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain("--out").And.Contain("model folder itself"));
    }

    [Test]
    public async Task Convert_TinyAlias_WritesCopyOfBundledModel()
    {
        string outDir = Path.Combine(_dir, "out");
        var run = await CliRun.InvokeAsync("convert", "--model", "tiny", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(Path.Combine(outDir, "model.safetensors"), Does.Exist);
        Assert.That(Path.Combine(outDir, "config.json"), Does.Exist);
    }

    [Test]
    public async Task Convert_BinModel_WritesSafetensorsAndCopiesConfigAndTokenizer()
    {
        string outDir = Path.Combine(_dir, "out");
        var run = await CliRun.InvokeAsync("convert", "--model", _model, "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.Contain("pytorch .bin").And.Contain("model.safetensors"));
        Assert.That(Directory.GetFiles(outDir).Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "model.safetensors", "config.json", "tokenizer.json" }));
        ExpectSameTensors(outDir);
        using var reopened = CheckpointReader.Open(outDir);
        Assert.That(reopened.Format, Is.EqualTo(CheckpointFormat.Safetensors));
    }

    [Test]
    public async Task Convert_SmallShardLimit_WritesShardsAndIndex()
    {
        string outDir = Path.Combine(_dir, "out");
        var run = await CliRun.InvokeAsync("convert", "--model", _model, "--out", outDir, "--max-shard-size", "200B");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(File.Exists(Path.Combine(outDir, SafetensorsCheckpoint.IndexFileName)), Is.True);
        Assert.That(Directory.GetFiles(outDir, "model-*-of-*.safetensors"), Has.Length.GreaterThan(1));
        ExpectSameTensors(outDir);
    }

    [Test]
    public async Task Convert_NonEmptyOut_RefusedWithoutForce_ReplacedWithForce()
    {
        string outDir = Path.Combine(_dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "model-00001-of-00009.safetensors"), "stale shard");

        var refused = await CliRun.InvokeAsync("convert", "--model", _model, "--out", outDir);
        Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(refused.Error, Does.Contain("not empty").And.Contain("--force"));

        var forced = await CliRun.InvokeAsync("convert", "--model", _model, "--out", outDir, "--force");
        Assert.That(forced.ExitCode, Is.EqualTo(ExitCodes.Success), forced.Error);
        Assert.That(File.Exists(Path.Combine(outDir, "model-00001-of-00009.safetensors")), Is.False, "stale shard removed");
        ExpectSameTensors(outDir);
    }

    [TestCase("5 parsecs")]
    [TestCase("0")]
    [TestCase("GB")]
    public async Task Convert_BadShardSize_ExitsTwoNamingIt(string size)
    {
        var run = await CliRun.InvokeAsync("convert", "--model", _model, "--out", Path.Combine(_dir, "out"), "--max-shard-size", size);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain(size));
    }

    [Test]
    public async Task Convert_MaliciousBin_ExitsOneAndWritesNoWeights()
    {
        File.Copy(Path.Combine(TorchZip, "evil", "os_system.bin"), Path.Combine(_model, "pytorch_model.bin"), overwrite: true);
        string outDir = Path.Combine(_dir, "out");
        var run = await CliRun.InvokeAsync("convert", "--model", _model, "--out", outDir);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(run.Error, Does.Contain("posix.system"));
        Assert.That(Directory.Exists(outDir) && Directory.GetFiles(outDir, "*.safetensors").Length > 0, Is.False);
    }
}
