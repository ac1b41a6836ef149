using IclPrune.Evaluation;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Prompts;
using IclPrune.Evaluation.Sampling;
using IclPrune.Evaluation.Tasks;

namespace IclPrune.Reports.Html;

/// <summary>
/// The rendered prompt of a scored item, rebuilt exactly as the evaluator built it (the seed's demonstrations, then
/// the item), for tasks whose data the report can load itself: a built-in task with its bundled data. The task
/// fingerprint (template, label words and data) must match the run's, so a prompt shown is the prompt scored.
/// </summary>
public sealed class FlippedPrompts
{
    readonly TaskDataset _data;
    readonly SplitRole _split;
    readonly int _shots;
    readonly Dictionary<int, IReadOnlyList<Example>> _demonstrations = [];

    FlippedPrompts(TaskDataset data, SplitRole split, int shots)
    {
        _data = data;
        _split = split;
        _shots = shots;
    }

    /// <summary>Null when the task is not built in, its data is not bundled, or it changed since the run.</summary>
    public static FlippedPrompts? TryCreate(TaskIdentity? task, int shots)
    {
        if (task is null) return null;
        try
        {
            var data = TaskDataset.Load(TaskCatalog.Get(task.Id));
            return data.Fingerprint == task.Fingerprint ? new FlippedPrompts(data, SplitRoles.Parse(task.Split), shots) : null;
        }
        catch (IclPruneException)
        {
            return null;   // a task file or data the report cannot reach: flipped items are listed without prompts
        }
    }

    public string Prompt(int seed, int index)
    {
        if (!_demonstrations.TryGetValue(seed, out var demonstrations))
            _demonstrations[seed] = demonstrations = DemonstrationSampler.Sample(_data.Task, _data.Splits.DemonstrationPool, _shots, seed);
        return PromptRenderer.FullPrompt(_data.Task, demonstrations, Item(index));
    }

    /// <summary>The answer text of class <paramref name="cls"/> for item <paramref name="index"/> (the gold class when null).</summary>
    public string Answer(int index, int? cls = null)
    {
        var item = Item(index);
        int c = cls ?? item.Class;
        return c >= 0 && c < _data.Task.Classes.Count ? PromptRenderer.Answer(_data.Task, item, c) : $"class {c}";
    }

    Example Item(int index) => _data.Splits.Scored(_split)[index];
}
