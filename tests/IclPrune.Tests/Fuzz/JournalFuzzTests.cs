using System.Text.Json.Nodes;
using IclPrune.Search;
using IclPrune.Tests.Evaluation;
using IclPrune.Tests.Search;

namespace IclPrune.Tests.Fuzz;

/// <summary>
/// Damaged sweep journals on resume: a real journal (header, unpruned line, one cell) with one line or one field
/// replaced by a value of the wrong type. Each must be refused naming the journal, the line and the field, never
/// crash the resume or be taken as a finished cell.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class JournalFuzzTests
{
    const string Fingerprint = "fp-fuzz";

    static string[] ValidLines(string folder)
    {
        var result = ConstructedResults.Of(["mlp@1:0.9"], "validation", ConstructedResults.FirstCorrect(6, 4));
        using (var journal = SweepJournal.Open(folder, Fingerprint, new JsonObject { ["grid"] = "fuzz" }))
        {
            journal.Append(SweepJournal.BaselineKey, result with { PruneSpecs = [] });
            journal.Append("mlp@1:0.9", result);
        }
        return File.ReadAllLines(Path.Combine(folder, SweepJournal.FileName));
    }

    /// <summary>A value of another JSON type than <paramref name="original"/>'s.</summary>
    static JsonNode? WrongType(JsonNode? original) => original?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.Number => JsonValue.Create("high"),
        System.Text.Json.JsonValueKind.String => JsonValue.Create(5),
        System.Text.Json.JsonValueKind.Array => JsonValue.Create("x"),
        System.Text.Json.JsonValueKind.Object => JsonValue.Create(7),
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => JsonValue.Create("x"),
        _ => null,
    };

    static IEnumerable<TestCaseData> Cases()
    {
        using var folder = new TempFolder();
        var lines = ValidLines(folder.Path);
        TestCaseData Case(string name, int line, string text) =>
            new TestCaseData(line, text).SetName($"Open_{name}_Rejected");

        foreach (int line in new[] { 0, 2 })
        {
            string where = line == 0 ? "Header" : "Cell";
            foreach (var (name, text) in new[] { ("Array", "[]"), ("Number", "5"), ("Null", "null"), ("String", "\"cell\""), ("NotJson", "{oops}") })
                yield return Case($"{where}LineIs{name}", line, text);
            var node = JsonNode.Parse(lines[line])!.AsObject();
            foreach (var (field, value) in node.ToList())
            {
                var copy = JsonNode.Parse(lines[line])!.AsObject();
                copy[field] = WrongType(value);
                yield return Case($"{where}Field_{field}_WrongType", line, copy.ToJsonString());
            }
        }
        // Every field of a result, one at a time (the "accuracy":"high").
        var cell = JsonNode.Parse(lines[2])!.AsObject();
        foreach (var (field, value) in cell["result"]!.AsObject().ToList())
        {
            if (value is null) continue;
            var copy = JsonNode.Parse(lines[2])!.AsObject();
            copy["result"]![field] = WrongType(value);
            yield return Case($"ResultField_{field}_WrongType", 2, copy.ToJsonString());
        }
        var noKey = JsonNode.Parse(lines[2])!.AsObject();
        noKey.Remove("key");
        yield return Case("CellWithoutKey", 2, noKey.ToJsonString());
        var nullResult = JsonNode.Parse(lines[2])!.AsObject();
        nullResult["result"] = null;
        yield return Case("CellWithNullResult", 2, nullResult.ToJsonString());
    }

    [TestCaseSource(nameof(Cases))]
    public void Open_DamagedLine_Rejected(int line, string text)
    {
        using var folder = new TempFolder();
        var lines = ValidLines(folder.Path);
        lines[line] = text;
        string path = Path.Combine(folder.Path, SweepJournal.FileName);
        File.WriteAllLines(path, lines);
        var e = FuzzOutcome.ExpectRejected(() => SweepJournal.Open(folder.Path, Fingerprint, new JsonObject { ["grid"] = "fuzz" }), mustName: path);
        if (line > 0) Assert.That(e.Message, Does.Contain($"line {line + 1}"));
    }

    [Test]
    public void Open_UndamagedJournal_ResumesBothResults()
    {
        using var folder = new TempFolder();
        ValidLines(folder.Path);
        using var journal = SweepJournal.Open(folder.Path, Fingerprint, new JsonObject { ["grid"] = "fuzz" });
        Assert.That(journal.Finished.Keys, Is.EquivalentTo(new[] { SweepJournal.BaselineKey, "mlp@1:0.9" }));
    }
}
