using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Evaluation.Sampling;

/// <summary>
/// Draws one seed's demonstrations from the pool. balanced: shots split evenly over classes (the first
/// shots mod C classes get one more), each class's items the first of a seeded permutation of the pool, then
/// interleaved in class order c0, c1, ..., c0, c1, ... (the paper's "5 per class, alternating"). random: the first
/// shots of a seeded permutation. first: the first shots of the pool; the seed is ignored.
/// </summary>
public static class DemonstrationSampler
{
    public static IReadOnlyList<Example> Sample(TaskDefinition task, IReadOnlyList<Example> pool, int shots, int seed)
    {
        if (shots == 0) return [];
        if (pool.Count < shots)
            throw new IclPruneException($"task {task.Id}: {shots} demonstrations asked for, but the demonstration pool ({task.Splits.Demonstrations}) has only {pool.Count} items.");
        var random = new SeededRandom(seed, "demonstrations");
        switch (task.Demonstrations.Policy)
        {
            case DemonstrationPolicy.First:
                return pool.Take(shots).ToList();
            case DemonstrationPolicy.Random:
                return random.Permutation(pool.Count).Take(shots).Select(i => pool[i]).ToList();
            default:
                return Balanced(task, pool, shots, random);
        }
    }

    /// <summary>How many demonstrations each class gets under the balanced policy.</summary>
    public static int[] BalancedCounts(int classes, int shots) =>
        Enumerable.Range(0, classes).Select(c => shots / classes + (c < shots % classes ? 1 : 0)).ToArray();

    static List<Example> Balanced(TaskDefinition task, IReadOnlyList<Example> pool, int shots, SeededRandom random)
    {
        int classes = task.Classes.Count;
        var counts = BalancedCounts(classes, shots);
        var perClass = Enumerable.Range(0, classes).Select(_ => new List<Example>()).ToArray();
        foreach (int i in random.Permutation(pool.Count))
        {
            var example = pool[i];
            if (perClass[example.Class].Count < counts[example.Class]) perClass[example.Class].Add(example);
        }
        for (int c = 0; c < classes; c++)
            if (perClass[c].Count < counts[c])
                throw new IclPruneException(
                    $"task {task.Id}: balanced demonstrations need {counts[c]} of class '{task.Classes[c].Text}', but the pool ({task.Splits.Demonstrations}) has only {perClass[c].Count}.");
        var interleaved = new List<Example>(shots);
        for (int round = 0; interleaved.Count < shots; round++)
            for (int c = 0; c < classes; c++)
                if (round < counts[c]) interleaved.Add(perClass[c][round]);
        return interleaved;
    }
}
