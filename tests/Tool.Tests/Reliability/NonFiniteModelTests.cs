using System.Text.Json;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Reliability;

/// <summary>
/// A checkpoint with one NaN weight (the final layer norm), so every logit is NaN: `logprobs` prints nulls with a
/// warning, and every command that reports an accuracy fails instead of reporting 0 (issue 17, finding 1).
/// </summary>
[NonParallelizable]
public sealed class NonFiniteModelTests
{
    TinyCheckpoint _model = null!;
    string _work = "";
    string _task = "";

    [OneTimeSetUp]
    public void Create()
    {
        _model = Gpt2Checkpoints.ForCommands(seed: 8);
        CheckpointEdits.PutNaN(_model.Folder, "ln_f.weight");
        _work = Directory.CreateTempSubdirectory("icl-nan-").FullName;
        _task = TinySentimentTask.Write(_work);
    }

    [OneTimeTearDown]
    public void Delete()
    {
        _model.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    string[] Common(params string[] more) => ["--model", _model.Folder, "--task", _task, "--data", _work, "--seeds", "0", .. more];

    [Test]
    public async Task Logprobs_Json_NonFiniteValuesAreNullWithAWarning()
    {
        var run = await CliRun.InvokeAsync("logprobs", "--model", _model.Folder, "--text", " pos neg pos", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var logprobs = json.RootElement.GetProperty("logprobs").EnumerateArray().ToList();
        Assert.That(logprobs, Is.Not.Empty);
        Assert.That(logprobs.Select(l => l.ValueKind), Is.All.EqualTo(JsonValueKind.Null));
        Assert.That(json.RootElement.GetProperty("sum").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(run.Error, Does.Contain("warning").And.Contain("NaN/inf").And.Contain("printed as null"));
    }

    [Test]
    public async Task Eval_NonFiniteLogProbs_FailsNamingTheItemCount()
    {
        var run = await CliRun.InvokeAsync(["eval", .. Common("--limit", "6")]);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failure), run.Output);
        Assert.That(run.Error, Does.Contain("the model produced NaN/inf log-probs for 6 of 6 items"));
        Assert.That(run.Output, Does.Not.Contain("accuracy"));
    }

    [Test]
    public async Task Sweep_NonFiniteLogProbs_FailsWithoutResults()
    {
        string folder = Path.Combine(_work, "sweep");
        var run = await CliRun.InvokeAsync(["sweep", .. Common("--layers", "0", "--target", "mlp", "--rates", "0,0.5", "--out", folder)]);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(run.Error, Does.Contain("NaN/inf log-probs"));
        Assert.That(File.Exists(Path.Combine(folder, "results.json")), Is.False);
    }

    [Test]
    public async Task Search_NonFiniteLogProbs_Fails()
    {
        var run = await CliRun.InvokeAsync(["search", .. Common("--module", "mlp", "--top-k", "1", "--rates", "0,0.5")]);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(run.Error, Does.Contain("NaN/inf log-probs"));
    }
}
