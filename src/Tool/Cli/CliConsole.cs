using Spectre.Console;

namespace IclPrune.Tool.Cli;

/// <summary>
/// The two streams of a command: results on stdout (tables, JSON), progress and logs on stderr, each with a
/// Spectre console that only emits colour and live widgets when it writes to a real terminal.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error)
    {
        Output = output;
        Error = error;
        bool outIsTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        bool errIsTerminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        Results = Create(output, outIsTerminal);
        Progress = Create(error, errIsTerminal);
        ProgressIsInteractive = errIsTerminal;
    }

    public TextWriter Output { get; }
    public TextWriter Error { get; }
    /// <summary>Tables and summaries (stdout).</summary>
    public IAnsiConsole Results { get; }
    /// <summary>Progress bars and warnings (stderr).</summary>
    public IAnsiConsole Progress { get; }
    /// <summary>True when stderr is a terminal: live progress bars; otherwise plain progress lines.</summary>
    public bool ProgressIsInteractive { get; }

    static IAnsiConsole Create(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Redirected output has no width; Spectre would assume 80 columns and fold wide tables (a sweep over the
        // paper's 8 rates) into unreadable cells. Files and CI logs have room.
        if (!terminal) console.Profile.Width = 160;
        return console;
    }
}
