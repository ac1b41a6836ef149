using System.CommandLine;
using IclAssertions.Snapshots;
using IclPrune.Tool.Cli;

namespace IclPrune.Tool.Commands;

/// <summary>`snapshots accept [DIR]`: every received snapshot becomes the verified one (atomic rename).</summary>
public sealed class SnapshotsAcceptCommand : Command
{
    readonly Argument<string> _folder = SnapshotsCommand.Folder();
    readonly CliConsole _console;

    public SnapshotsAcceptCommand(CliConsole console) : base("accept", "Turn every *.received.json under DIR into its *.verified.json.")
    {
        _console = console;
        Arguments.Add(_folder);
        SetAction((parse, _) => Task.FromResult(Execute(parse)));
    }

    int Execute(ParseResult parse)
    {
        string root = Path.GetFullPath(parse.GetValue(_folder)!);
        var accepted = SnapshotApproval.Accept(root);
        foreach (string verified in accepted)
            _console.Output.WriteLine($"accepted {Path.GetRelativePath(root, verified)}");
        _console.Error.WriteLine(accepted.Count == 0 ? $"no received snapshots under {root}" : $"{accepted.Count} snapshot(s) accepted");
        return ExitCodes.Success;
    }
}
