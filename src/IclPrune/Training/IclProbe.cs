using IclPrune.Synthetic;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Training;

/// <summary>
/// Scores the model under training on a built-in synthetic task with the paper's protocol (docs/method.md section 3): one
/// fixed, class-balanced, interleaved set of demonstrations per seed, the same for every query; correct iff the gold
/// label word's logit is strictly above every other label word's at the last prompt position. Prompts are built from
/// token ids directly (every query has the same length, so a task is one batch); the task files written for the
/// evaluation engine carry the same text.
/// </summary>
public sealed class IclProbe
{
    readonly SyntheticWorld _world;
    readonly ByteLevelBpeVocabulary _vocabulary;

    public IclProbe(SyntheticWorld world, ByteLevelBpeVocabulary vocabulary)
    {
        _world = world;
        _vocabulary = vocabulary;
    }

    internal double Accuracy(TinyGpt2 model, SyntheticTask task, int shots, int seed) =>
        Accuracy(ids => model.Logits(model.forward(ids).select(1, ids.shape[1] - 1)), model.Config.NPositions, task, shots, seed);

    /// <summary>The same protocol for any causal LM (e.g. the bundled model loaded through the HF loader).</summary>
    public double Accuracy(Models.ICausalLanguageModel model, SyntheticTask task, int shots, int seed) =>
        Accuracy(ids =>
        {
            using var output = model.Forward(new Models.DecoderInput(ids));
            return model.Logits(output.Hidden.select(1, ids.shape[1] - 1));
        }, model.Description.MaxPositions, task, shots, seed);

    /// <param name="lastLogits">ids [N,T] to the logits [N,V] at the last position.</param>
    double Accuracy(Func<Tensor, Tensor> lastLogits, long maxPositions, SyntheticTask task, int shots, int seed)
    {
        var splits = task.Split(_world);
        var (train, test) = (splits.Train, splits.Test);
        var demos = shots == 0 ? [] : SyntheticTask.DrawDemonstrations(train, task.ClassCount, shots, seed);
        var labels = task.LabelWords(_world);
        var prefix = new List<int>();
        foreach (var (item, cls) in demos) prefix.AddRange(_vocabulary.Encode(task.Template.Demonstration(item, labels[cls])));
        var rows = test.Select(r => prefix.Concat(_vocabulary.Encode(task.Template.Query(r.Item))).ToArray()).ToList();
        int length = rows[0].Length;
        if (rows.Any(r => r.Length != length)) throw new IclPruneException($"task {task.Name}: queries differ in length.");
        if (length > maxPositions)
            throw new IclPruneException($"task {task.Name} with {shots} shots needs {length} positions; the model has {maxPositions}.");

        long[] labelIds = [.. labels.Select(_vocabulary.WordId)];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(rows.SelectMany(r => r.Select(i => (long)i)).ToArray(), [rows.Count, length]);
        var scores = lastLogits(ids).index_select(1, tensor(labelIds));      // [N,C]
        var gold = tensor(test.Select(r => (long)r.Class).ToArray());
        var goldScore = scores.gather(1, gold.unsqueeze(1));                  // [N,1]
        // Strictly greater than every other label: the gold entry is the only one >= itself.
        var correct = (scores >= goldScore).sum(1).eq(1);
        return correct.to_type(ScalarType.Float64).mean().item<double>();
    }
}
