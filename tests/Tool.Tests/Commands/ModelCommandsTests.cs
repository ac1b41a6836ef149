using System.Text.Json;
using IclPrune.Models;
using IclPrune.Runtime;
using IclPrune.Tool.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tool.Tests.Commands;

public sealed class ModelCommandsTests
{
    // d 16 (the parameter count below spells it out), 2 heads, 2 layers, inner 37, 32 positions; " the" one token.
    static readonly Gpt2Sizes Sizes = new(Vocab: 0, Hidden: 16, Heads: 2, Layers: 2, Inner: 37, Positions: 32);
    TinyCheckpoint _model = null!;
    int _vocab;

    [OneTimeSetUp]
    public void CreateModel()
    {
        TorchRuntime.EnsureInitialized();
        _model = Gpt2Checkpoints.WithTokenizer(Sizes, seed: 42, Gpt2ByteVocabulary.Create(["the"], endOfText: true), specialTokenId: null);
        _vocab = _model.Int("vocab_size");
    }

    [OneTimeTearDown]
    public void DeleteModel() => _model.Dispose();

    static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Inspect_Json_DescribesModelAndPrunableMatrices()
    {
        var (code, output, error) = await Run("inspect", "--model", _model.Folder, "--layer", "1", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("architecture").GetString(), Is.EqualTo("gpt2"));
        Assert.That(root.GetProperty("layers").GetInt32(), Is.EqualTo(Sizes.Layers));
        Assert.That(root.GetProperty("hidden_size").GetInt32(), Is.EqualTo(Sizes.Hidden));
        Assert.That(root.GetProperty("dtype").GetString(), Is.EqualTo("fp32"));
        long expectedParameters = (long)_vocab * 16 + 32 * 16 + 2 * 16
            + Sizes.Layers * (4 * 16 + 16 * 48 + 48 + 16 * 16 + 16 + 16 * 37 + 37 + 37 * 16 + 16);
        Assert.That(root.GetProperty("parameters").GetInt64(), Is.EqualTo(expectedParameters));
        var matrices = root.GetProperty("prunable_matrices").EnumerateArray().ToList();
        Assert.That(matrices.Select(m => m.GetProperty("name").GetString()), Is.EqualTo(new[]
        {
            "transformer.h.1.attn.c_attn.weight", "transformer.h.1.attn.c_proj.weight",
            "transformer.h.1.mlp.c_fc.weight", "transformer.h.1.mlp.c_proj.weight",
        }));
        Assert.That(matrices[2].GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 16, 37 }));
    }

    [Test]
    public async Task Inspect_Table_ListsArchitecture()
    {
        var (code, output, error) = await Run("inspect", "--model", _model.Folder);
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("gpt2").And.Contain("transformer.h.0.mlp.c_fc.weight"));
    }

    [Test]
    public async Task Logprobs_TokenIds_MatchManualLogSoftmax()
    {
        long[] ids = [5, 258, 17, 99, 3];
        var (code, output, error) = await Run("logprobs", "--model", _model.Folder, "--token-ids", string.Join(",", ids), "--json");
        Assert.That(code, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        var logprobs = json.RootElement.GetProperty("logprobs").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.That(json.RootElement.GetProperty("tokens").GetArrayLength(), Is.EqualTo(ids.Length));
        Assert.That(logprobs, Has.Length.EqualTo(ids.Length - 1));
        Assert.That(json.RootElement.GetProperty("sum").GetDouble(), Is.EqualTo(logprobs.Sum()).Within(1e-9));

        // Reference: full logits, log-softmax by hand in float64 (log-sum-exp).
        using var loaded = ModelLoader.Load(_model.Folder);
        using var input = torch.tensor(ids).view(1, ids.Length);
        using var hidden = loaded.Model.Forward(new DecoderInput(input));
        using var logits = loaded.Model.Logits(hidden.Hidden).to(ScalarType.Float64);
        for (int t = 0; t + 1 < ids.Length; t++)
        {
            var row = logits[0, t].data<double>().ToArray();
            double max = row.Max();
            double logSumExp = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            // float32 logits and softmax in the command: 1e-5 absolute.
            Assert.That(logprobs[t], Is.EqualTo(row[ids[t + 1]] - logSumExp).Within(1e-5), $"token {t + 1}");
        }
    }

    [Test]
    public async Task Logprobs_Text_SameAsItsTokenIds()
    {
        var (code, output, error) = await Run("logprobs", "--model", _model.Folder, "--text", "the theory", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        var ids = json.RootElement.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var tokens = json.RootElement.GetProperty("tokens").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.That(string.Concat(tokens), Is.EqualTo("the theory"), "no BOS for GPT-2; tokens concatenate to the text");
        var (code2, output2, _) = await Run("logprobs", "--model", _model.Folder, "--token-ids", string.Join(",", ids), "--json");
        Assert.That(code2, Is.EqualTo(0));
        using var json2 = JsonDocument.Parse(output2);
        Assert.That(json2.RootElement.GetProperty("sum").GetDouble(), Is.EqualTo(json.RootElement.GetProperty("sum").GetDouble()));
    }

    [Test]
    public async Task Logprobs_BothTextAndIds_UsageError()
    {
        var (code, _, error) = await Run("logprobs", "--model", _model.Folder, "--text", "a", "--token-ids", "1,2");
        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.Contain("exactly one of --text or --token-ids"));
    }

    [Test]
    public async Task Logprobs_IdOutsideVocabulary_FailureNamingIt()
    {
        var (code, _, error) = await Run("logprobs", "--model", _model.Folder, "--token-ids", $"1,{_vocab}");
        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Does.Contain($"token id {_vocab}"));
    }

    [Test]
    public async Task Inspect_UnknownHubId_SaysWhereItLooked()
    {
        var (code, _, error) = await Run("inspect", "--model", "no-such-org/no-such-model");
        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error, Does.Contain("models--no-such-org--no-such-model"));
    }

    [Test]
    public async Task Inspect_BadDType_UsageError()
    {
        var (code, _, error) = await Run("inspect", "--model", _model.Folder, "--dtype", "int8");
        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.Contain("dtype 'int8'"));
    }
}
