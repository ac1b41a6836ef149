using System.CommandLine;
using System.CommandLine.Help;
using IclPrune.Tool.Commands;

namespace IclPrune.Tool.Cli;

/// <summary>
/// `--help` as System.CommandLine writes it, with two changes its public API does not offer: the usage lines name the
/// tool as users type it (`dotnet icl-prune`, not the executable's file name), and the hidden `dev` group still
/// answers `dev --help` (the help writer prints nothing for a hidden command).
/// </summary>
public static class CliHelp
{
    public const string ToolName = "dotnet icl-prune";

    public static bool Requested(ParseResult parsed) => parsed.Action is HelpAction;

    public static async Task<int> WriteAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        if (parsed.CommandResult.Command is DevCommand dev) dev.Hidden = false;   // this tree serves one invocation
        var buffer = new StringWriter();
        int exit = await parsed.InvokeAsync(new InvocationConfiguration { Output = buffer, Error = error }, cancellation);
        await output.WriteAsync(WithToolName(buffer.ToString(), parsed.RootCommandResult.Command.Name));
        return exit;
    }

    /// <summary>The usage section's lines start with the root command's name (the executable's); name the tool instead.</summary>
    internal static string WithToolName(string help, string executableName)
    {
        var lines = help.Split('\n');
        bool inUsage = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() == "Usage:") inUsage = true;
            else if (lines[i].Trim().Length == 0) inUsage = false;
            else if (inUsage && lines[i].StartsWith("  " + executableName, StringComparison.Ordinal))
                lines[i] = "  " + ToolName + lines[i][(2 + executableName.Length)..];
        }
        return string.Join('\n', lines);
    }
}
