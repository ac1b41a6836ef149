using IclPrune.Runtime;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>A model folder with a malformed tokenizer file: the command exits 1 with the file and the field on stderr.</summary>
public sealed class TokenizerErrorCommandTests
{
    TinyCheckpoint _model = null!;

    [OneTimeSetUp]
    public void CreateModel()
    {
        TorchRuntime.EnsureInitialized();
        _model = Gpt2Checkpoints.ForCommands();
    }

    [OneTimeTearDown]
    public void DeleteModel() => _model.Dispose();

    [TestCase("tokenizer.json", "[]", "the top level is an array; expected a JSON object")]
    [TestCase("tokenizer.json", """{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}}""", "model.merges[0] ('a b') needs 'b', which is not in the vocabulary")]
    [TestCase("tokenizer_config.json", """{"add_bos_token": "yes"}""", "add_bos_token is the string \"yes\"; expected true or false")]
    public async Task Logprobs_MalformedTokenizerFile_ExitOneNamingFileAndField(string file, string content, string expected)
    {
        string path = Path.Combine(_model.Folder, file);
        File.WriteAllText(path, content);
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            int code = await CliApp.RunAsync(["logprobs", "--model", _model.Folder, "--text", "pos"], output, error);
            Assert.That(code, Is.EqualTo(ExitCodes.Failure));
            Assert.That(error.ToString(), Does.Contain(path).And.Contain(expected));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
