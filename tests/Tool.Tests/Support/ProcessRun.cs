using System.Diagnostics;

namespace IclPrune.Tool.Tests.Support;

/// <summary>A child process run to completion with its output captured (for things that need a fresh process).</summary>
public sealed record ProcessRun(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;

    public static ProcessRun Start(string fileName, IEnumerable<string> arguments, string workingDirectory,
        TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}");
        }
        process.WaitForExit();
        return new ProcessRun(process.ExitCode, output.Result, error.Result);
    }

    public ProcessRun AssertSucceeded(string what)
    {
        Assert.That(ExitCode, Is.EqualTo(0), $"{what} failed:\n{All}");
        return this;
    }
}
