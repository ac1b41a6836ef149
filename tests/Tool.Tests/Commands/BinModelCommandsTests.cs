using System.Text.Json;
using IclPrune.Checkpoints;
using IclPrune.Runtime;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>
/// A model folder that has only pytorch_model.bin (the tiny GPT-2 stored by the test-only torch.save writer):
/// `inspect` says which weights it read, `logprobs` gives exactly the safetensors model's numbers, and `convert`
/// turns it into a folder that gives them too.
/// </summary>
public sealed class BinModelCommandsTests
{
    TinyCheckpoint _safetensors = null!;
    string _bin = "";

    [OneTimeSetUp]
    public void CreateModels()
    {
        TorchRuntime.EnsureInitialized();
        _safetensors = Gpt2Checkpoints.ForCommands();
        _bin = Directory.CreateTempSubdirectory("bin-model-").FullName;
        File.Copy(Path.Combine(_safetensors.Folder, "config.json"), Path.Combine(_bin, "config.json"));
        using var source = SafetensorsCheckpoint.Open(_safetensors.Folder);
        var tensors = source.TensorNames.Select(name =>
        {
            using var t = source.Read(name);
            return TorchSaveWriter.FromTensor(name, t);
        }).ToList();
        TorchSaveWriter.Save(Path.Combine(_bin, "pytorch_model.bin"), tensors);
    }

    [OneTimeTearDown]
    public void Delete()
    {
        _safetensors.Dispose();
        Directory.Delete(_bin, recursive: true);
    }

    static async Task<JsonElement> Json(params string[] args)
    {
        var run = await CliRun.InvokeAsync([.. args, "--json"]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
        using var json = JsonDocument.Parse(run.Output);
        return json.RootElement.Clone();
    }

    [Test]
    public async Task Inspect_BinOnlyFolder_ReportsPyTorchBinWeights()
    {
        var bin = await Json("inspect", "--model", _bin);
        Assert.That(bin.GetProperty("weights").GetProperty("format").GetString(), Is.EqualTo("pytorch_bin"));
        Assert.That(bin.GetProperty("weights").GetProperty("files").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "pytorch_model.bin" }));
        var safetensors = await Json("inspect", "--model", _safetensors.Folder);
        Assert.That(safetensors.GetProperty("weights").GetProperty("format").GetString(), Is.EqualTo("safetensors"));
        Assert.That(bin.GetProperty("parameters").GetInt64(), Is.EqualTo(safetensors.GetProperty("parameters").GetInt64()));
    }

    [Test]
    public async Task Logprobs_BinAndConvertedFolders_ExactlyTheSafetensorsNumbers()
    {
        string converted = Path.Combine(Directory.CreateTempSubdirectory("bin-converted-").FullName, "out");
        try
        {
            var run = await CliRun.InvokeAsync("convert", "--model", _bin, "--out", converted);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
            string[] ids = ["--token-ids", "5,17,42,3,8"];
            double[] Logprobs(JsonElement e) => e.GetProperty("logprobs").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var expected = Logprobs(await Json(["logprobs", "--model", _safetensors.Folder, .. ids]));
            Assert.That(Logprobs(await Json(["logprobs", "--model", _bin, .. ids])), Is.EqualTo(expected)); // tolerance 0
            Assert.That(Logprobs(await Json(["logprobs", "--model", converted, .. ids])), Is.EqualTo(expected));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(converted)!, recursive: true);
        }
    }
}
