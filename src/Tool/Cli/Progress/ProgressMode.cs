namespace IclPrune.Tool.Cli.Progress;

/// <summary>How long commands show progress on stderr (docs/report.md).</summary>
public enum ProgressMode
{
    /// <summary>Spectre bars with rate and ETA, redrawn in place: stderr is a terminal and CI is not set.</summary>
    Live,
    /// <summary>One line per finished unit of work (cells) or every few seconds (items): logs, pipes, CI.</summary>
    Plain,
    /// <summary>One JSON object per line (`--progress json`), for programs that watch a run.</summary>
    Json,
}

public static class ProgressModes
{
    public const string Auto = "auto";

    /// <summary>The mode for a `--progress` value; auto picks live only on a real terminal outside CI.</summary>
    public static ProgressMode Resolve(string requested, bool stderrIsTerminal, string? ciVariable) =>
        requested.Trim().ToLowerInvariant() switch
        {
            Auto => stderrIsTerminal && string.IsNullOrEmpty(ciVariable) ? ProgressMode.Live : ProgressMode.Plain,
            "plain" => ProgressMode.Plain,
            "json" => ProgressMode.Json,
            // Forcing bars on a pipe would fill a log with escape codes; only auto can choose them.
            _ => throw new UsageException($"--progress '{requested}' is invalid; expected auto, plain or json."),
        };
}
