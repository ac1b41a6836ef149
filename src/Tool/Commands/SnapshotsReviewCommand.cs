using System.CommandLine;
using IclAssertions.Snapshots;
using IclPrune.Tool.Cli;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `snapshots review [DIR]`: for each pending received snapshot, the field diff against the verified one and the
/// gate's verdict (so a reviewer sees "significant drop, p = 0.003" before accepting it). Exit 0 either way:
/// review reports, it does not judge.
/// </summary>
public sealed class SnapshotsReviewCommand : Command
{
    readonly Argument<string> _folder = SnapshotsCommand.Folder();
    readonly CliConsole _console;

    public SnapshotsReviewCommand(CliConsole console) : base("review", "Show each pending *.received.json under DIR with its diff and the gate's verdict.")
    {
        _console = console;
        Arguments.Add(_folder);
        SetAction((parse, _) => Task.FromResult(Execute(parse)));
    }

    int Execute(ParseResult parse)
    {
        string root = Path.GetFullPath(parse.GetValue(_folder)!);
        var pending = SnapshotApproval.Pending(root);
        var output = _console.Output;
        foreach (var p in pending)
        {
            output.WriteLine($"== {Path.GetRelativePath(root, p.Received)}");
            if (p.Diff is null)
            {
                output.WriteLine("   new snapshot (nothing approved yet)");
                var document = SnapshotSerializer.Read(p.Received);
                output.WriteLine($"   {document.Model.Id} on {document.Task.Id}/{document.Task.Split}, shots {document.Shots}, " +
                                 $"seeds [{string.Join(", ", document.Seeds)}]: accuracy {document.Accuracy}");
                continue;
            }
            output.WriteLine($"   verdict: {p.Verdict!.Outcome}");
            foreach (string line in p.Verdict.ToString().Split('\n')) output.WriteLine("   " + line.TrimEnd('\r'));
            output.WriteLine("   diff (approved -> received):");
            foreach (string line in p.Diff) output.WriteLine("     " + line);
        }
        _console.Error.WriteLine(pending.Count == 0
            ? $"no received snapshots under {root}"
            : $"{pending.Count} pending; accept with `dotnet icl-prune snapshots accept`, discard with `snapshots reject`.");
        return ExitCodes.Success;
    }
}
