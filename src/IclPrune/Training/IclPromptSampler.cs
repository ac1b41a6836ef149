using IclPrune.Synthetic;

namespace IclPrune.Training;

/// <summary>One training batch as flat token ids [B*T] plus where the loss is taken.</summary>
/// <summary>
/// One training batch as flat token ids [B*T] plus where the loss is taken. <see cref="Predictable"/> marks the loss
/// positions whose class already appeared earlier in the prompt (only those can be solved in context).
/// </summary>
internal sealed record TrainingBatch(long[] Ids, int BatchSize, int Length, long[] LossPositions, long[] LossTargets, bool[] Predictable);

/// <summary>
/// Draws training prompts for in-context classification (TINY-ICL.md): each prompt picks C categories and C label
/// words at random (so the label of a category exists only inside that prompt), then a run of demonstrations whose
/// classes repeat (bursty: every class shows up several times), in one of the templates. The loss is on EVERY label
/// token: from the second occurrence of a class on, its label is predictable from earlier demonstrations, so each
/// prompt gives several ICL targets. In "repeat" prompts each class uses only 1-2 distinct items, so most labels
/// follow an exact repeat of an earlier item (what induction heads solve); in "category" prompts items are drawn
/// from the whole category, so the model must match by category. <see cref="RepeatFraction"/> sets the mix.
/// </summary>
internal sealed class IclPromptSampler
{
    readonly SyntheticWorld _world;
    readonly ByteLevelBpeVocabulary _vocabulary;
    readonly Random _random;
    readonly int[][] _itemIds;
    readonly int[] _labelIds;
    readonly (int[] Before, int[] Between, int[] After)[] _templates;

    public int MinClasses { get; set; } = 2;
    public int MaxClasses { get; set; } = 4;
    public int MinDemonstrations { get; set; } = 4;
    public int MaxDemonstrations { get; set; } = 16;
    /// <summary>How many of <see cref="SyntheticTemplate.All"/> (from the first) prompts may use.</summary>
    public int TemplateCount { get; set; } = SyntheticTemplate.All.Count;
    /// <summary>Probability that a prompt is a "repeat" prompt (few distinct items per class).</summary>
    public double RepeatFraction { get; set; } = 1.0;

    public IclPromptSampler(SyntheticWorld world, ByteLevelBpeVocabulary vocabulary, int seed)
    {
        _world = world;
        _vocabulary = vocabulary;
        _random = new Random(seed);
        _itemIds = [.. world.Items.Select(c => c.Select(vocabulary.WordId).ToArray())];
        _labelIds = [.. world.LabelWords.Select(vocabulary.WordId)];
        _templates = [.. SyntheticTemplate.All.Select(t => (vocabulary.Encode(t.Before), vocabulary.Encode(t.Between), vocabulary.Encode(t.After)))];
    }

    public TrainingBatch Next(int batchSize)
    {
        var prompts = new List<(List<int> Ids, List<int> LabelAt, List<bool> Seen)>(batchSize);
        for (int b = 0; b < batchSize; b++) prompts.Add(OnePrompt());
        int length = prompts.Max(p => p.Ids.Count);
        var ids = new long[batchSize * length];
        Array.Fill(ids, _vocabulary.EndOfTextId); // right padding: causal attention never lets it reach a loss position
        var positions = new List<long>();
        var targets = new List<long>();
        var predictable = new List<bool>();
        for (int b = 0; b < batchSize; b++)
        {
            var (p, labelAt, seen) = prompts[b];
            predictable.AddRange(seen);
            for (int t = 0; t < p.Count; t++) ids[b * length + t] = p[t];
            foreach (int at in labelAt)
            {
                positions.Add(b * length + at - 1); // the token before the label predicts it
                targets.Add(p[at]);
            }
        }
        return new TrainingBatch(ids, batchSize, length, [.. positions], [.. targets], [.. predictable]);
    }

    (List<int> Ids, List<int> LabelAt, List<bool> Seen) OnePrompt()
    {
        int classes = _random.Next(MinClasses, MaxClasses + 1);
        int[] categories = Pick(_world.CategoryCount, classes);
        int[] labels = [.. Pick(_labelIds.Length, classes).Select(i => _labelIds[i])];
        var (before, between, after) = _templates[_random.Next(Math.Min(TemplateCount, _templates.Length))];
        bool repeat = _random.NextDouble() < RepeatFraction;
        // In a repeat prompt each class draws its items from a small subset (1 or 2 items).
        int[][] pools = [.. categories.Select(c => repeat
            ? Pick(_itemIds[c].Length, _random.Next(1, 3)).Select(i => _itemIds[c][i]).ToArray()
            : _itemIds[c])];
        int count = _random.Next(MinDemonstrations, MaxDemonstrations + 1) + 1;
        var ids = new List<int>(count * 8);
        var labelAt = new List<int>(count);
        var seen = new List<bool>(count);
        var shown = new bool[classes];
        for (int i = 0; i < count; i++)
        {
            int cls = _random.Next(classes);
            ids.AddRange(before);
            ids.Add(pools[cls][_random.Next(pools[cls].Length)]);
            ids.AddRange(between);
            labelAt.Add(ids.Count);
            seen.Add(shown[cls]);
            shown[cls] = true;
            ids.Add(labels[cls]);
            if (i < count - 1) ids.AddRange(after);
        }
        return (ids, labelAt, seen);
    }

    int[] Pick(int n, int k)
    {
        var chosen = new HashSet<int>();
        while (chosen.Count < k) chosen.Add(_random.Next(n));
        return [.. chosen];
    }
}
