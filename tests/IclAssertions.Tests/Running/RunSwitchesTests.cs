using IclAssertions.Running;
using IclAssertions.Tests.Support;

namespace IclAssertions.Tests.Running;

/// <summary>
/// Device, dtype and model switched by the run, not the test (RunSwitches): environment variables here, and the
/// TestRunParameters of this project's .runsettings (model.alias-from-runsettings = tiny, see the csproj).
/// The real engine on a real random checkpoint; each test restores the variables it sets.
/// </summary>
[NonParallelizable]
public class RunSwitchesTests
{
    RandomGpt2Suite _suite = null!;
    readonly Dictionary<string, string?> _saved = new();

    [OneTimeSetUp]
    public void CreateSuite() => _suite = new RandomGpt2Suite();

    [OneTimeTearDown]
    public void DeleteSuite() => _suite.Dispose();

    [TearDown]
    public void RestoreEnvironment()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        _saved.Clear();
    }

    void Set(string name, string value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    EvalBuilder Eval(string model) => IclEval.Model(model).Task(_suite.TaskFile).Data(_suite.DataFolder).Shots(2).Seeds(0);

    [Test]
    public async Task RunAsync_DTypeFromEnvironment_AppliesWhenTheTestSetsNone()
    {
        Set(RunSwitches.DTypeVariable, "bf16");

        var switched = await Eval(_suite.ModelFolder).RunAsync();
        var explicitDType = await Eval(_suite.ModelFolder).WithDType("fp32").RunAsync();

        Assert.That(switched.DType, Is.EqualTo("bf16"), "the result (so the snapshot) records the dtype that ran");
        Assert.That(explicitDType.DType, Is.EqualTo("fp32"), "the test's own choice wins over the run's");
    }

    [Test]
    public async Task RunAsync_DeviceFromEnvironment_IsUsedAndRecorded()
    {
        Set(RunSwitches.DeviceVariable, "cpu");
        var result = await Eval(_suite.ModelFolder).RunAsync();
        Assert.That(result.Device, Is.EqualTo("cpu"));
    }

    [Test]
    public void RunAsync_BadDeviceFromEnvironment_NamesTheVariable()
    {
        Set(RunSwitches.DeviceVariable, "cdua");
        Assert.That(() => Eval(_suite.ModelFolder).RunAsync(),
            Throws.InstanceOf<IclPrune.UsageException>().With.Message.Contains("'cdua'").And.Message.Contains(RunSwitches.DeviceVariable));
    }

    [Test]
    public async Task RunAsync_ModelAliasFromEnvironment_LoadsTheMappedFolderAndRecordsIt()
    {
        Set(RunSwitches.ModelVariable("random-gpt2"), _suite.ModelFolder);

        var aliased = await Eval("random-gpt2").RunAsync();
        var direct = await Eval(_suite.ModelFolder).RunAsync();

        Assert.That(RunSwitches.ModelVariable("random-gpt2"), Is.EqualTo("ICL_PRUNE_MODEL_RANDOM_GPT2"));
        Assert.That(aliased.Model.Id, Is.EqualTo(_suite.ModelFolder), "the snapshot names the model that ran");
        Assert.That(aliased.Model.Fingerprint, Is.EqualTo(direct.Model.Fingerprint));
    }

    [Test]
    public async Task RunAsync_ModelAliasFromTestRunParameters_LoadsTheMappedModel()
    {
        Assert.That(TestContext.Parameters.Get("model.alias-from-runsettings"), Is.EqualTo("tiny"),
            "the project's .runsettings must reach the test run");

        var result = await IclEval.Model("alias-from-runsettings").Task("synth-2way").Seeds(0).Limit(4).RunAsync();

        Assert.That(result.Model.Id, Is.EqualTo("tiny"));
        Assert.That(result.PerSeed.Single().N, Is.EqualTo(4));
    }
}
