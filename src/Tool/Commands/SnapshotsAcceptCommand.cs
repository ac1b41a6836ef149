using System.CommandLine;
using IclAssertions.Snapshots;
using IclPrune.Tool.Cli;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `snapshots accept [DIR] [--accept-drop]`: every received snapshot becomes the verified one (atomic rename), except
/// one whose gate verdict is an accuracy drop: that one stays pending, the reason is printed, and the exit code is 1,
/// until `--accept-drop` says the drop is intended.
/// </summary>
public sealed class SnapshotsAcceptCommand : Command
{
    readonly Argument<string> _folder = SnapshotsCommand.Folder();
    readonly Option<bool> _acceptDrop = new("--accept-drop")
    {
        Description = "Also accept received snapshots whose verdict is a significant drop, a drop beyond the tolerance or a failed recovery.",
    };
    readonly CliConsole _console;

    public SnapshotsAcceptCommand(CliConsole console) : base("accept", "Turn every *.received.json under DIR into its *.verified.json (drops need --accept-drop).")
    {
        _console = console;
        Arguments.Add(_folder);
        Options.Add(_acceptDrop);
        SetAction((parse, _) => Task.FromResult(Execute(parse)));
    }

    int Execute(ParseResult parse)
    {
        string root = Path.GetFullPath(parse.GetValue(_folder)!);
        var result = SnapshotApproval.Accept(root, parse.GetValue(_acceptDrop));
        foreach (string verified in result.Accepted)
            _console.Output.WriteLine($"accepted {Path.GetRelativePath(root, verified)}");
        foreach (var refused in result.Refused)
        {
            _console.Error.WriteLine($"refused {Path.GetRelativePath(root, refused.Received)}: its verdict is {refused.Verdict!.Outcome}; " +
                                     "it stays pending. Pass --accept-drop if the drop is intended.");
            foreach (string line in refused.Verdict.ToString().Split('\n')) _console.Error.WriteLine("   " + line);
        }
        _console.Error.WriteLine(result.Accepted.Count + result.Refused.Count == 0
            ? $"no received snapshots under {root}"
            : $"{result.Accepted.Count} snapshot(s) accepted, {result.Refused.Count} refused");
        return result.Refused.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
