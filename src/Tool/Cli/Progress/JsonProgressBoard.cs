using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IclPrune.Tool.Cli.Progress;

/// <summary>
/// `--progress json`: every report as one JSON object on its own stderr line (fields in docs/report.md), unthrottled,
/// so a program watching the run sees each finished unit.
/// </summary>
public sealed class JsonProgressBoard(TextWriter error) : ProgressBoard
{
    // Quotes and non-ASCII as they are ('--task', not \u0027--task\u0027): still valid JSON, and readable in a log.
    static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    readonly Lock _lock = new();

    protected override Action<ProgressSnapshot> Show(string name) => s =>
    {
        var line = new JsonObject
        {
            ["event"] = "progress",
            ["stage"] = s.Stage,
            ["unit"] = s.Unit,
            ["done"] = s.Done,
            ["total"] = s.Total,
            ["percent"] = Math.Round(s.Percent, 2),
            ["rate"] = s.Rate is { } r ? Math.Round(r, 4) : null,
            ["eta_seconds"] = s.Remaining is { } eta ? Math.Round(eta.TotalSeconds, 1) : null,
            ["elapsed_seconds"] = Math.Round(s.Elapsed.TotalSeconds, 3),
            ["detail"] = s.Detail,
        };
        lock (_lock) error.WriteLine(line.ToJsonString(Relaxed));
    };

    /// <summary>A log line or error in the same stream, so that stderr stays one JSON object per line.</summary>
    public static string Message(string kind, string message) =>
        new JsonObject { ["event"] = kind, ["message"] = message }.ToJsonString(Relaxed);
}
