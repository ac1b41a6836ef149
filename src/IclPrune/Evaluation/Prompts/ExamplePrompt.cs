using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Sampling;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Evaluation.Prompts;

/// <summary>
/// A prompt to show a user what a task looks like when no data is at hand: placeholders such as "&lt;sentence 1&gt;"
/// stand for field values, demonstrations follow the task's policy as to classes (balanced: interleaved).
/// </summary>
public static class ExamplePrompt
{
    public static (string Prompt, IReadOnlyList<string> Answers) WithPlaceholders(TaskDefinition task, int? shots = null)
    {
        int k = shots ?? task.Demonstrations.Shots;
        var counts = DemonstrationSampler.BalancedCounts(task.Classes.Count, k);
        var classes = new List<int>();
        for (int round = 0; classes.Count < k; round++)
            for (int c = 0; c < counts.Length; c++)
                if (round < counts[c]) classes.Add(c);
        var fields = PromptRenderer.FieldsUsed(task);
        Example Placeholder(int number, int cls) =>
            new("example", number, fields.ToDictionary(f => f, f => $"<{f} {number}>"), cls);
        var demonstrations = classes.Select((c, i) => Placeholder(i + 1, c)).ToList();
        var query = Placeholder(k + 1, 0);
        return (PromptRenderer.FullPrompt(task, demonstrations, query),
            Enumerable.Range(0, task.Classes.Count).Select(c => PromptRenderer.Answer(task, query, c)).ToList());
    }

    /// <summary>The real first prompt of a split: seed <paramref name="seed"/>'s demonstrations and the split's first item.</summary>
    public static (string Prompt, IReadOnlyList<string> Answers) FromData(TaskDataset data, SplitRole split, int seed, int? shots = null)
    {
        var task = data.Task;
        var demonstrations = DemonstrationSampler.Sample(task, data.Splits.DemonstrationPool, shots ?? task.Demonstrations.Shots, seed);
        var query = data.Splits.Scored(split)[0];
        return (PromptRenderer.FullPrompt(task, demonstrations, query),
            Enumerable.Range(0, task.Classes.Count).Select(c => PromptRenderer.Answer(task, query, c)).ToList());
    }
}
