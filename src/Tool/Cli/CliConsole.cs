using IclPrune.Tool.Cli.Progress;
using Spectre.Console;

namespace IclPrune.Tool.Cli;

/// <summary>
/// The two streams of a command: results on stdout (tables, JSON), progress and logs on stderr, each with a
/// Spectre console that only emits colour and live widgets when it writes to a real terminal.
/// </summary>
public sealed class CliConsole
{
    readonly bool _errIsTerminal;

    public CliConsole(TextWriter output, TextWriter error)
    {
        Output = output;
        Error = error;
        bool outIsTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        _errIsTerminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        Results = Create(output, outIsTerminal);
        Progress = Create(error, _errIsTerminal);
        ProgressMode = ProgressModes.Resolve(ProgressModes.Auto, _errIsTerminal, Environment.GetEnvironmentVariable("CI"));
    }

    public TextWriter Output { get; }
    public TextWriter Error { get; }
    /// <summary>Tables and summaries (stdout).</summary>
    public IAnsiConsole Results { get; }
    /// <summary>Progress bars and warnings (stderr).</summary>
    public IAnsiConsole Progress { get; }
    /// <summary>Live bars, plain lines or JSON lines on stderr (`--progress`, terminal, CI).</summary>
    public ProgressMode ProgressMode { get; private set; }

    /// <summary>Applies `--progress`, once the command line is parsed.</summary>
    public void SelectProgress(string requested) =>
        ProgressMode = ProgressModes.Resolve(requested, _errIsTerminal, Environment.GetEnvironmentVariable("CI"));

    /// <summary>Runs a long command's work with a progress board of the selected mode.</summary>
    public T WithProgress<T>(Func<ProgressBoard, T> work) => ProgressMode switch
    {
        ProgressMode.Live => LiveProgressBoard.Run(Progress, work),
        ProgressMode.Json => work(new JsonProgressBoard(Error)),
        _ => work(new PlainProgressBoard(Error)),
    };

    /// <summary>A log line on stderr (a JSON "message" object in JSON mode; above the bars in live mode).</summary>
    public void Log(string message) => Write("message", message, "");

    /// <summary>A warning on stderr: yellow on a terminal, a "warning" object in JSON mode.</summary>
    public void Warn(string message) => Write("warning", message, "yellow");

    /// <summary>The error that ends a command: red on a terminal, an "error" object in JSON mode.</summary>
    public void Fail(string message) => Write("error", message, "red");

    /// <summary>Cancellation (Ctrl+C).</summary>
    public void Cancelled(bool terminated = false) => Write("cancelled", terminated ? "terminated (SIGTERM)" : "cancelled", "yellow");

    void Write(string kind, string message, string colour)
    {
        switch (ProgressMode)
        {
            case ProgressMode.Json:
                Error.WriteLine(JsonProgressBoard.Message(kind, message));
                break;
            case ProgressMode.Live:   // through Spectre, so that the line lands above live bars, not inside them
                if (colour == "") Progress.WriteLine(message);
                else Progress.MarkupLine(kind == message ? $"[{colour}]{kind}[/]" : $"[{colour}]{kind}:[/] {Markup.Escape(message)}");
                break;
            default:   // unwrapped: a log line with a long path stays one line
                Error.WriteLine(colour == "" ? message : kind == message ? kind : $"{kind}: {message}");
                break;
        }
    }

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
