using NUnit.Framework;

namespace IclAssertions.Running;

/// <summary>
/// What a run chooses for the whole suite without a code change, so a suite written on a laptop runs on the GPU box
/// unchanged: NUnit TestRunParameters (the suite's .runsettings, or
/// <c>dotnet test -- 'TestRunParameters.Parameter(name="device", value="cuda")'</c>) and, where no parameter is
/// given, environment variables. A test that calls OnDevice/WithDType itself keeps its own choice.
/// </summary>
public static class RunSwitches
{
    public const string DeviceParameter = "device";
    public const string DTypeParameter = "dtype";
    /// <summary>Prefix of the model alias parameters: <c>model.NAME</c> maps IclEval.Model("NAME") to another id or folder.</summary>
    public const string ModelParameterPrefix = "model.";
    public const string DeviceVariable = "ICL_PRUNE_DEVICE";
    public const string DTypeVariable = "ICL_PRUNE_DTYPE";
    /// <summary>Prefix of the model alias variables: <c>ICL_PRUNE_MODEL_NAME</c>, see <see cref="ModelVariable"/>.</summary>
    public const string ModelVariablePrefix = "ICL_PRUNE_MODEL_";

    public static RunSwitch? Device => Read(DeviceParameter, DeviceVariable);
    public static RunSwitch? DType => Read(DTypeParameter, DTypeVariable);

    /// <summary>What the run maps the model name <paramref name="name"/> to, if anything.</summary>
    public static RunSwitch? ModelAlias(string name) => Read(ModelParameterPrefix + name, ModelVariable(name));

    /// <summary>The variable for a model name: upper case, every character other than A-Z and 0-9 as '_'
    /// ("gpt-j-6b" → ICL_PRUNE_MODEL_GPT_J_6B), since most shells accept no other variable names.</summary>
    public static string ModelVariable(string name) =>
        ModelVariablePrefix + string.Concat(name.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));

    static RunSwitch? Read(string parameter, string variable)
    {
        // TestContext.Parameters is empty outside an NUnit run (e.g. a console program using IclEval).
        string? fromRun = TestContext.Parameters.Get(parameter);
        if (!string.IsNullOrWhiteSpace(fromRun)) return new RunSwitch(fromRun.Trim(), $"TestRunParameters '{parameter}'");
        string? fromEnvironment = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : new RunSwitch(fromEnvironment.Trim(), $"environment variable {variable}");
    }
}

/// <summary>A value chosen by the run, and where it came from (for error messages).</summary>
public sealed record RunSwitch(string Value, string Source);
