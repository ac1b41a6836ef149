using System.CommandLine;
using IclAssertions.Snapshots;
using IclPrune.Tool.Cli;

namespace IclPrune.Tool.Commands;

/// <summary>`snapshots reject [DIR]`: delete every received snapshot; verified files stay as they are.</summary>
public sealed class SnapshotsRejectCommand : Command
{
    readonly Argument<string> _folder = SnapshotsCommand.Folder();
    readonly CliConsole _console;

    public SnapshotsRejectCommand(CliConsole console) : base("reject", "Delete every *.received.json under DIR.")
    {
        _console = console;
        Arguments.Add(_folder);
        SetAction((parse, _) => Task.FromResult(Execute(parse)));
    }

    int Execute(ParseResult parse)
    {
        string root = Path.GetFullPath(parse.GetValue(_folder)!);
        var deleted = SnapshotApproval.Reject(root);
        foreach (string received in deleted)
            _console.Output.WriteLine($"rejected {Path.GetRelativePath(root, received)}");
        _console.Error.WriteLine(deleted.Count == 0 ? $"no received snapshots under {root}" : $"{deleted.Count} snapshot(s) rejected");
        return ExitCodes.Success;
    }
}
