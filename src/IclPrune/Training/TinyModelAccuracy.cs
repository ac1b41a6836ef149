using IclPrune.Models;
using IclPrune.Synthetic;

namespace IclPrune.Training;

/// <summary>Accuracy of one task at one shot count over several demonstration seeds.</summary>
public sealed record TinyTaskAccuracy(string Task, int Shots, IReadOnlyList<int> Seeds, IReadOnlyList<double> Accuracies, double Chance)
{
    public double Mean => Accuracies.Average();
}

/// <summary>
/// The quality bar of issue 7 measured on a loaded model: every built-in synthetic task at its default shots and at
/// 0 shots, for demonstration seeds 42, 43, 44 (mean over the three is what docs/tiny-model.md reports).
/// </summary>
public static class TinyModelAccuracy
{
    public static readonly int[] Seeds = [42, 43, 44];

    public static IReadOnlyList<TinyTaskAccuracy> Measure(ICausalLanguageModel model, SyntheticWorld world, ByteLevelBpeVocabulary vocabulary)
    {
        var probe = new IclProbe(world, vocabulary);
        var rows = new List<TinyTaskAccuracy>();
        foreach (var task in SyntheticTask.BuiltIn)
            foreach (int shots in new[] { task.Shots, 0 })
                rows.Add(new TinyTaskAccuracy(task.Name, shots, Seeds,
                    [.. Seeds.Select(seed => probe.Accuracy(model, task, shots, seed))], 1.0 / task.ClassCount));
        return rows;
    }
}
