using System.CommandLine;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Commands;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Docs;

/// <summary>
/// Every command line that README.md and docs/*.md quote goes through the real parser with --help appended, so a
/// renamed or misspelt command or option (the README once said `sweep --targets`) fails here instead of for a reader.
/// --help skips the checks of values and required options: what is tested is the vocabulary.
/// </summary>
public class QuotedCommandLinesTests
{
    /// <summary>Quoted text that looks like a command line on purpose but is not one, with the reason.</summary>
    static readonly Dictionary<string, string> NotCommands = new()
    {
        ["dotnet run --project src/Tool -- <command>"] = "a placeholder for any command",
        ["sweep journal '.../shards/2-of-4.jsonl' is in use by host node17 pid 81234 (started ...)"] = "an error message the sweep prints",
    };

    static IEnumerable<TestCaseData> DocumentedLines() =>
        Documents().SelectMany(Find).Where(l => !NotCommands.ContainsKey(l.Text))
            .Select(l => new TestCaseData(l).SetName($"Parse_{Path.GetFileName(l.File)}_line{l.Line}_{string.Join(" ", l.Args)}"));

    [TestCaseSource(nameof(DocumentedLines))]
    public void Parse_QuotedCommandLineWithHelp_EveryWordRecognized(QuotedCommandLine line)
    {
        Assert.That(Unrecognized(line.Args), Is.Empty, line.ToString());
    }

    [Test]
    public void Find_Docs_QuoteCommandsOfEveryKind()
    {
        var lines = Documents().SelectMany(Find).ToList();

        // A change to the extraction that finds nothing would make the test above pass vacuously.
        Assert.That(lines, Has.Count.GreaterThan(40));
        Assert.That(lines.Select(l => l.Args[0]).Distinct(),
            Is.SupersetOf(new[] { "demo", "eval", "sweep", "search", "convert", "inspect", "snapshots", DevCommand.CommandName }));
    }

    [Test]
    public void Parse_MisspeltOptionInReadmeTable_Unrecognized()
    {
        const string table = "| `sweep --model M --task T --out DIR [--layers ..] [--targets ..] [--rates ..]` | grid |";

        var line = QuotedCommandLines.In("README.md", table, CommandNames()).Single();

        Assert.That(Unrecognized(line.Args), Is.EqualTo(new[] { "--targets", ".." }));
    }

    [Test]
    public void Find_UsageNotation_OneLinePerAlternative()
    {
        const string doc = "`snapshots accept\\|review\\|reject [DIR]` and\n```bash\ndotnet icl-prune logprobs --model M \\\n  (--text T | --token-ids 1,2) # scores\n```";

        var lines = QuotedCommandLines.In("x.md", doc, CommandNames()).Select(l => string.Join(" ", l.Args)).ToList();

        Assert.That(lines, Is.EqualTo(new[]
        {
            "snapshots accept DIR", "snapshots review DIR", "snapshots reject DIR",
            "logprobs --model M --text T --token-ids 1,2",
        }));
    }

    static IEnumerable<string> Documents() =>
        Directory.GetFiles(Path.Combine(RepositoryLayout.Root, "docs"), "*.md").Order().Prepend(Path.Combine(RepositoryLayout.Root, "README.md"));

    static IEnumerable<QuotedCommandLine> Find(string path) =>
        QuotedCommandLines.In(Path.GetRelativePath(RepositoryLayout.Root, path), File.ReadAllText(path), CommandNames());

    /// <summary>The top-level commands and the developer tools (quoted without `dev`, they must fail).</summary>
    static IReadOnlySet<string> CommandNames()
    {
        var root = CliApp.BuildRoot(new CliConsole(TextWriter.Null, TextWriter.Null));
        return root.Subcommands.Concat(root.Subcommands.OfType<DevCommand>().SelectMany(d => d.Subcommands)).Select(c => c.Name).ToHashSet();
    }

    static IReadOnlyList<string> Unrecognized(IReadOnlyList<string> args)
    {
        var root = CliApp.BuildRoot(new CliConsole(TextWriter.Null, TextWriter.Null));
        ParseResult parsed = root.Parse([.. args, "--help"]);
        return parsed.UnmatchedTokens;
    }
}
