using System.CommandLine;
using IclPrune.Tool.Cli;

namespace IclPrune.Tool.Commands;

/// <summary>`snapshots accept|review|reject [DIR]`: manage the received files eval suites leave behind.</summary>
public sealed class SnapshotsCommand : Command
{
    /// <summary>The folder searched (recursively, skipping bin/ obj/ .git/); default: the current directory.</summary>
    internal static Argument<string> Folder() => new("DIR")
    {
        Description = "Folder to search recursively for *.received.json (default: the current directory).",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => ".",
    };

    public SnapshotsCommand(CliConsole console)
        : base("snapshots", "Review, accept or reject received accuracy snapshots of IclAssertions eval suites (docs/assertions.md).")
    {
        Subcommands.Add(new SnapshotsAcceptCommand(console));
        Subcommands.Add(new SnapshotsReviewCommand(console));
        Subcommands.Add(new SnapshotsRejectCommand(console));
    }
}
