using System.Text;
using IclAssertions.Gate;
using NUnit.Framework;

namespace IclAssertions.Snapshots;

/// <summary>
/// Makes a gate outcome visible where CI shows things, without writing to the source tree: the received snapshot and
/// the verdict text are written under the test's work directory and attached to the test result
/// (TestContext.AddTestAttachment), so `dotnet test --results-directory R` copies them into R for an artifact upload;
/// and when GITHUB_STEP_SUMMARY is set, a row of the outcome table is appended to the job summary.
/// </summary>
public static class GateArtifacts
{
    static readonly object SummaryLock = new();
    const string SummaryHeader = "| eval | outcome | approved | received | delta | p(drop) | changes |";

    public static void Attach(SnapshotPaths paths, string receivedJson, string verdictText)
    {
        string folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "icl-prune-gate");
        Directory.CreateDirectory(folder);
        string received = Path.Combine(folder, paths.BaseName + SnapshotPaths.ReceivedSuffix);
        string verdict = Path.Combine(folder, paths.BaseName + ".verdict.txt");
        AtomicFile.WriteAllText(received, receivedJson);
        AtomicFile.WriteAllText(verdict, verdictText + "\n");
        TestContext.AddTestAttachment(received, "received accuracy snapshot");
        TestContext.AddTestAttachment(verdict, "gate verdict");
    }

    /// <param name="verdict">Null when there is no approved snapshot to compare with (a failure of its own).</param>
    public static void AppendStepSummary(string name, GateVerdict? verdict, string receivedAccuracy)
    {
        if (SnapshotEnvironment.StepSummaryPath is not { } path) return;
        string approved = verdict?.Paired?.BaselineAccuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)
                          ?? verdict?.Unpaired?.BaselineAccuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
        string delta = verdict?.Paired is { } p ? ComparisonText.Signed(p.Difference) : verdict?.Unpaired is { } u ? ComparisonText.Signed(u.Difference) + " (unpaired)" : "-";
        string pDrop = verdict?.Paired is { } q ? ComparisonText.P(q.PDrop) : "-";
        string changes = verdict is null ? "no approved snapshot" : string.Join("; ", verdict.Changes.Select(c => c.ToString()));
        string outcome = verdict is null ? "**FAIL** NoApprovedSnapshot" : (verdict.Outcome.IsPass() ? "pass " : "**FAIL** ") + verdict.Outcome;
        string row = $"| {Cell(name)} | {outcome} | {approved} | {receivedAccuracy} | {delta} | {pDrop} | {Cell(changes)} |";
        lock (SummaryLock)
        {
            bool hasHeader = File.Exists(path) && File.ReadAllText(path).Contains(SummaryHeader, StringComparison.Ordinal);
            var text = new StringBuilder();
            if (!hasHeader) text.AppendLine().AppendLine("### ICL accuracy gate").AppendLine().AppendLine(SummaryHeader).AppendLine("|---|---|---|---|---|---|---|");
            text.AppendLine(row);
            File.AppendAllText(path, text.ToString());
        }
    }

    static string Cell(string text) => text.Replace("|", "\\|").ReplaceLineEndings(" ");
}
