using System.Globalization;

namespace IclAssertions.Snapshots;

/// <summary>
/// A field-by-field diff of two snapshots for people: changed fields as "field: approved -> received", and per seed
/// which items flipped (a line diff of two 2,000-character hex strings would say nothing useful).
/// </summary>
public static class SnapshotDiff
{
    const int MaxItemsListed = 12;

    public static IReadOnlyList<string> Lines(SnapshotDocument approved, SnapshotDocument received)
    {
        var lines = new List<string>();
        void Field(string name, object approvedValue, object receivedValue)
        {
            string a = Format(approvedValue), r = Format(receivedValue);
            if (a != r) lines.Add($"{name}: {a} -> {r}");
        }
        Field("model.id", approved.Model.Id, received.Model.Id);
        Field("model.fingerprint", approved.Model.Fingerprint, received.Model.Fingerprint);
        Field("task.id", approved.Task.Id, received.Task.Id);
        Field("task.split", approved.Task.Split, received.Task.Split);
        Field("task.fingerprint", approved.Task.Fingerprint, received.Task.Fingerprint);
        Field("pruneSpecs", approved.PruneSpecs, received.PruneSpecs);
        Field("shots", approved.Shots, received.Shots);
        Field("seeds", approved.Seeds, received.Seeds);
        Field("device", approved.Device, received.Device);
        Field("dtype", approved.DType, received.DType);
        Field("backend", approved.Backend, received.Backend);
        Field("accuracy", approved.Accuracy, received.Accuracy);
        foreach (var r in received.PerSeed)
        {
            var a = approved.PerSeed.FirstOrDefault(s => s.Seed == r.Seed);
            if (a is null) { lines.Add($"seed {r.Seed}: new ({r.Correct}/{r.N})"); continue; }
            if (a.N != r.N) { lines.Add($"seed {r.Seed}: n {a.N} -> {r.N}"); continue; }
            if (a.Items == r.Items) continue;
            var before = a.DecodeItems($"approved seed {a.Seed}");
            var after = r.DecodeItems($"received seed {r.Seed}");
            var lost = Enumerable.Range(0, r.N).Where(i => before[i] && !after[i]).ToArray();
            var gained = Enumerable.Range(0, r.N).Where(i => !before[i] && after[i]).ToArray();
            lines.Add($"seed {r.Seed}: accuracy {Format(a.Accuracy)} -> {Format(r.Accuracy)} ({a.Correct}/{a.N} -> {r.Correct}/{r.N}); " +
                      $"right->wrong {Items(lost)}; wrong->right {Items(gained)}");
        }
        foreach (var a in approved.PerSeed.Where(a => received.PerSeed.All(r => r.Seed != a.Seed)))
            lines.Add($"seed {a.Seed}: removed");
        return lines;
    }

    static string Items(int[] indices) =>
        indices.Length == 0 ? "none"
        : $"{indices.Length} item{(indices.Length == 1 ? "" : "s")} [{string.Join(", ", indices.Take(MaxItemsListed))}{(indices.Length > MaxItemsListed ? ", ..." : "")}]";

    static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => s,
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object>()) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
