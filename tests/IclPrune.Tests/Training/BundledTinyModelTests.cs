using IclPrune.Models;
using IclPrune.Synthetic;
using IclPrune.Training;

namespace IclPrune.Tests.Training;

/// <summary>The committed tiny model (src/IclPrune/EmbeddedModel/tiny) as users get it: `--model tiny`.</summary>
public sealed class BundledTinyModelTests
{
    [Test]
    public void Load_TinyAlias_ResolvesToTheBundledFolderThroughTheHfLoader()
    {
        using var loaded = ModelLoader.Load(BundledModels.TinyAlias);
        Assert.That(loaded.Folder, Is.EqualTo(BundledModels.TinyFolder));
        Assert.That(loaded.Model.Description.ModelType, Is.EqualTo("gpt2"));
        Assert.That(new FileInfo(Path.Combine(loaded.Folder, "model.safetensors")).Length, Is.LessThan(10L * 1024 * 1024));
        var world = SyntheticWorld.Create();
        var notSingle = world.Items.SelectMany(c => c).Concat(world.LabelWords)
            .Where(w => loaded.Tokenizer.Encode(" " + w).Count != 1).ToList();
        Assert.That(notSingle, Is.Empty, "every item and label word is one token for the bundled tokenizer");
    }

    [Test]
    public void Accuracy_BundledModel_LearnsInContextAndZeroShotCarriesNoLabelKnowledge()
    {
        // A real gate on the committed weights (demonstration seed 42, the protocol of docs/method.md section 3). The
        // thresholds sit below the measured values in docs/tiny-model.md so that retraining with the documented
        // recipe passes, and far above chance so that a model without in-context learning fails.
        using var loaded = ModelLoader.Load(BundledModels.TinyAlias);
        var world = SyntheticWorld.Create();
        var probe = new IclProbe(world, new ByteLevelBpeVocabulary(world.SingleTokenWords));
        foreach (var task in SyntheticTask.BuiltIn)
        {
            double chance = 1.0 / task.ClassCount;
            Assert.That(probe.Accuracy(loaded.Model, task, task.Shots, seed: 42), Is.GreaterThanOrEqualTo(0.9), $"{task.Name} k-shot");
            Assert.That(probe.Accuracy(loaded.Model, task, 0, seed: 42), Is.EqualTo(chance).Within(0.1), $"{task.Name} 0-shot");
        }
    }
}
