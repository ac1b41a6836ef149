using System.CommandLine;
using IclAssertions.Snapshots;
using IclPrune.Tool.Cli;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `snapshots review [DIR]`: for each pending received snapshot, the gate's verdict against the verified one, judged
/// with the settings of the test that wrote it: what changed, both accuracies, delta, interval, p and the items that
/// flipped, so a reviewer sees "significant drop, p = 0.003" before accepting it. Exit 0 either way: review reports,
/// `accept` is where drops are refused.
/// </summary>
public sealed class SnapshotsReviewCommand : Command
{
    readonly Argument<string> _folder = SnapshotsCommand.Folder();
    readonly CliConsole _console;

    public SnapshotsReviewCommand(CliConsole console) : base("review", "Show each pending *.received.json under DIR with the gate's verdict.")
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
            if (p.Verdict is null)
            {
                var document = p.Document;
                output.WriteLine("   new snapshot (nothing approved yet)");
                output.WriteLine($"   {document.Model.Id} on {document.Task.Id}/{document.Task.Split}, shots {document.Shots}, " +
                                 $"seeds [{string.Join(", ", document.Seeds)}]: accuracy {document.Accuracy}");
                continue;
            }
            output.WriteLine($"   verdict: {p.Verdict.Outcome}{(p.Verdict.ShowsDrop ? " (accept needs --accept-drop)" : "")}");
            foreach (string line in p.Verdict.ToString().Split('\n')) output.WriteLine("   " + line.TrimEnd('\r'));
        }
        _console.Error.WriteLine(pending.Count == 0
            ? $"no received snapshots under {root}"
            : $"{pending.Count} pending; accept with `dotnet icl-prune snapshots accept`, discard with `snapshots reject`.");
        return ExitCodes.Success;
    }
}
