using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Evaluation.Sampling;

/// <summary>
/// Carves the pool and the scored splits out of the source splits. Per source split, one permutation drawn with the
/// task's split seed; draws from that source take, in this order, validation, test, demonstrations: a sized draw takes
/// the first items of the permutation not yet taken (per_class: the first of each class), a whole draw takes all, and
/// "rest" takes what is left. Each result keeps file order, so item i of a split is the same item for every
/// demonstration seed and every pruning config (paired statistics rely on it).
/// </summary>
public static class SplitPlanner
{
    static readonly string[] DrawOrder = ["validation", "test", "demonstrations"];

    public static PlannedSplits Plan(TaskDefinition task, IReadOnlyDictionary<string, IReadOnlyList<Example>> sources)
    {
        var result = new Dictionary<string, IReadOnlyList<Example>>();
        foreach (var group in DrawOrder.GroupBy(name => task.Splits[name].From))
        {
            string source = group.Key;
            if (!sources.TryGetValue(source, out var items))
                throw new InvalidOperationException($"source split {source} was not loaded");
            var order = new SeededRandom(task.Splits.Seed, "split:" + source).Permutation(items.Count);
            var taken = new bool[items.Count];
            string? restName = null;
            foreach (string name in group)
            {
                var draw = task.Splits[name];
                if (draw.Rest) { restName = name; continue; }
                result[name] = Take(task, name, draw, items, order, taken);
            }
            if (restName is not null)
            {
                var rest = Enumerable.Range(0, items.Count).Where(i => !taken[i]).Select(i => items[i]).ToList();
                if (rest.Count == 0)
                    throw new IclPruneException($"task {task.Id}: splits.{restName} takes the rest of '{source}', but the other draws used all {items.Count} items.");
                result[restName] = rest;
            }
        }
        return new PlannedSplits(result["demonstrations"], result["validation"], result["test"]);
    }

    static List<Example> Take(TaskDefinition task, string name, SplitDraw draw, IReadOnlyList<Example> items, int[] order, bool[] taken)
    {
        var chosen = new List<int>();
        if (draw.TakesAll)
        {
            chosen.AddRange(Enumerable.Range(0, items.Count));
        }
        else if (draw.Size is { } size)
        {
            foreach (int i in order)
            {
                if (chosen.Count == size) break;
                if (!taken[i]) chosen.Add(i);
            }
            if (chosen.Count < size)
                throw new IclPruneException($"task {task.Id}: splits.{name} needs {size} items from '{draw.From}', but only {chosen.Count} of its {items.Count} are left.");
        }
        else if (draw.PerClass is { } perClass)
        {
            var counts = new int[task.Classes.Count];
            foreach (int i in order)
            {
                if (taken[i] || counts[items[i].Class] == perClass) continue;
                counts[items[i].Class]++;
                chosen.Add(i);
            }
            for (int c = 0; c < counts.Length; c++)
                if (counts[c] < perClass)
                    throw new IclPruneException(
                        $"task {task.Id}: splits.{name} needs {perClass} items of class '{task.Classes[c].Text}' from '{draw.From}', but only {counts[c]} are left " +
                        $"({items.Count(e => e.Class == c)} in the split).");
        }
        foreach (int i in chosen) taken[i] = true;
        chosen.Sort();
        return chosen.Select(i => items[i]).ToList();
    }
}
