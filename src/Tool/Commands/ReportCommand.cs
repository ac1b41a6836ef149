using System.CommandLine;
using IclPrune.Reports.Html;
using IclPrune.Tool.Cli;

namespace IclPrune.Tool.Commands;

/// <summary>`report`: one self-contained HTML page from results JSON, sweep and demo folders and snapshots (docs/report.md).</summary>
public sealed class ReportCommand : Command
{
    readonly CliConsole _console;

    static readonly Argument<string[]> Inputs = new("PATH")
    {
        Description = "Folders (demo, sweep, eval suite with snapshots) or files (results JSON, *.verified.json, *.received.json).",
        Arity = ArgumentArity.OneOrMore,
    };
    static readonly Option<string> Out = new("--out", "-o")
    {
        Description = "HTML file to write.",
        DefaultValueFactory = _ => HtmlReport.FileName,
        HelpName = "FILE",
    };

    public ReportCommand(CliConsole console) : base("report", "Write one self-contained HTML report (no network) from results, sweep and demo folders and snapshots.")
    {
        _console = console;
        Arguments.Add(Inputs);
        Options.Add(Out);
        SetAction(parse => Execute(parse));
    }

    int Execute(ParseResult parse)
    {
        string written = HtmlReport.Write(parse.GetValue(Inputs)!, parse.GetValue(Out)!);
        _console.Output.WriteLine($"report: {written}");
        return ExitCodes.Success;
    }
}
