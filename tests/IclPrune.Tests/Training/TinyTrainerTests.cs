using IclPrune.Synthetic;
using IclPrune.Training;

namespace IclPrune.Tests.Training;

public sealed class TinyTrainerTests
{
    static readonly SyntheticWorld World = SyntheticWorld.Create(seed: 5, categories: 10, itemsPerCategory: 24, labelPool: 12);
    static readonly ByteLevelBpeVocabulary Vocabulary = new(World.SingleTokenWords);

    static TinyTrainingOptions Small(int seed) => new()
    {
        Seed = seed, Steps = 40, BatchSize = 8, LearningRate = 3e-3, MinLearningRate = 3e-4, WarmupSteps = 5,
        Embedding = 32, Heads = 2, Layers = 2, Positions = 128, RepeatOnlySteps = 40, EvaluateEvery = 40, Threads = 0,
    };

    [Test]
    public void Train_FortySteps_LossFiniteAndDecreasing()
    {
        using var result = new TinyTrainer(World, Vocabulary).Train(Small(seed: 1));
        Assert.That(result.StepLosses, Has.Count.EqualTo(40));
        Assert.That(result.StepLosses, Has.All.Matches<double>(double.IsFinite));
        // The first steps sit near ln(vocabulary); learning which tokens are labels alone drops the loss far below.
        Assert.That(result.StepLosses.TakeLast(5).Average(), Is.LessThan(result.StepLosses.Take(5).Average() - 1.0));
        Assert.That(result.History, Has.Count.EqualTo(1));
        Assert.That(result.BestWeights.Keys, Does.Contain("transformer.h.1.attn.c_attn.weight"));
    }

    [Test]
    public void Train_SameSeed_SameLosses()
    {
        var options = Small(seed: 2) with { Steps = 5, EvaluateEvery = 5 };
        using var a = new TinyTrainer(World, Vocabulary).Train(options);
        using var b = new TinyTrainer(World, Vocabulary).Train(options);
        Assert.That(b.StepLosses, Is.EqualTo(a.StepLosses));
    }

    [Test]
    public void Options_LearningRateSchedule_WarmsUpThenDecaysToMinimum()
    {
        var options = new TinyTrainingOptions { Steps = 100, WarmupSteps = 10, LearningRate = 1e-3, MinLearningRate = 1e-4 };
        Assert.That(options.LearningRateAt(0), Is.EqualTo(1e-4).Within(1e-12));
        Assert.That(options.LearningRateAt(9), Is.EqualTo(1e-3).Within(1e-12));
        Assert.That(options.LearningRateAt(55), Is.EqualTo(5.5e-4).Within(1e-12)); // cosine mid-point
        Assert.That(options.LearningRateAt(100), Is.EqualTo(1e-4).Within(1e-12));
    }
}
