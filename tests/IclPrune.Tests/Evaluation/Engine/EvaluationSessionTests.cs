using IclPrune.Evaluation;
using IclPrune.Models;
using IclPrune.Pruning;
using IclPrune.Runtime;

namespace IclPrune.Tests.Evaluation.Engine;

/// <summary>
/// The engine on tiny random GPT-2 checkpoints (real safetensors, real loader, real byte-level BPE) against a
/// brute-force reference that runs every full prompt once per label word (EngineFixture.BruteForceScores).
/// Predictions must be identical: random weights give score gaps far above float32 rounding (~1e-6 here).
/// </summary>
[NonParallelizable]
public class EvaluationSessionTests
{
    TinyGpt2Checkpoint _checkpoint = null!;
    LoadedModel _model = null!;
    TempFolder _data = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        TorchRuntime.EnsureInitialized();
        // Weight seed 4: among seeds 1-15 one whose random model predicts both classes on the fixture data, so the
        // comparisons below are not vacuous (most random models predict one class everywhere).
        _checkpoint = TinyGpt2Checkpoint.Create(seed: 4, EngineFixture.Words);
        _model = ModelLoader.Load(_checkpoint.Folder);
        _data = new TempFolder();
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _model.Dispose();
        _checkpoint.Dispose();
        _data.Dispose();
    }

    EvaluationResult Evaluate(TaskDataset data, EvaluationOptions options, out PreparedEvaluation prepared)
    {
        using var session = new EvaluationSession(_model, data, options);
        prepared = session.Prepared(options.Split);
        return session.Run([]);
    }

    [Test]
    public void Evaluate_SingleTokenLabels_MatchesBruteForcePerLabelWord()
    {
        using var folder = new TempFolder();
        var data = EngineFixture.Dataset(folder, EngineFixture.SentimentYaml);
        Assert.That(_model.Tokenizer.Encode(" pos"), Has.Count.EqualTo(1), "the fixture vocabulary makes ' pos' one token");
        var result = Evaluate(data, new EvaluationOptions { Seeds = [0, 1], BatchSize = 4 }, out var prepared);
        EngineFixture.AssertMatchesBruteForce(_model, prepared, result);
        Assert.That(result.PerSeed.SelectMany(s => s.Predictions!).Distinct().Count(), Is.EqualTo(2), "both classes get predicted: the comparison is not vacuous");
        Assert.That(result.TruncatedPrompts, Is.Zero);
        Assert.That(result.Timing.Tokens, Is.GreaterThan(0));
    }

    [Test]
    public void Evaluate_MultiTokenLabels_MatchesBruteForceSummedLogProb()
    {
        using var folder = new TempFolder();
        var data = EngineFixture.Dataset(folder, EngineFixture.MultiTokenYaml);
        Assert.That(_model.Tokenizer.Encode(" great"), Has.Count.GreaterThan(1));
        var result = Evaluate(data, new EvaluationOptions { Seeds = [3], BatchSize = 5 }, out var prepared);
        EngineFixture.AssertMatchesBruteForce(_model, prepared, result);
    }

    [Test]
    public void Evaluate_Choice_MatchesBruteForceMeanLogLikelihood()
    {
        using var folder = new TempFolder();
        var data = EngineFixture.Dataset(folder, EngineFixture.ChoiceYaml);
        var result = Evaluate(data, new EvaluationOptions { Seeds = [2], BatchSize = 3 }, out var prepared);
        EngineFixture.AssertMatchesBruteForce(_model, prepared, result);
    }

    [TestCase("sentiment")]
    [TestCase("multi")]
    [TestCase("choice")]
    public void Evaluate_CachedVsUncachedBatch1Batch8AndTokenBudget_SamePredictions(string kind)
    {
        using var folder = new TempFolder();
        string yaml = kind switch { "sentiment" => EngineFixture.SentimentYaml, "multi" => EngineFixture.MultiTokenYaml, _ => EngineFixture.ChoiceYaml };
        var data = EngineFixture.Dataset(folder, yaml, testItems: 9);
        var runs = new[]
        {
            new EvaluationOptions { Seeds = [0, 1], BatchSize = 8, UseCache = true },
            new EvaluationOptions { Seeds = [0, 1], BatchSize = 8, UseCache = false },
            new EvaluationOptions { Seeds = [0, 1], BatchSize = 1, UseCache = true },
            new EvaluationOptions { Seeds = [0, 1], BatchSize = 1, UseCache = false },
            new EvaluationOptions { Seeds = [0, 1], BatchSize = 64, TokensPerBatch = 24, UseCache = true },
            new EvaluationOptions { Seeds = [0, 1], BatchSize = 64, TokensPerBatch = 400, UseCache = false },
        }.Select(o => Evaluate(data, o, out _)).ToList();
        foreach (var run in runs.Skip(1))
            for (int s = 0; s < 2; s++)
            {
                Assert.That(run.PerSeed[s].Predictions, Is.EqualTo(runs[0].PerSeed[s].Predictions), $"cache {run.UsedCache}, batch {run.BatchSize}");
                Assert.That(run.PerSeed[s].ItemCorrect, Is.EqualTo(runs[0].PerSeed[s].ItemCorrect));
            }
        Assert.That(runs[0].Timing.Tokens, Is.LessThan(runs[1].Timing.Tokens), "the cache runs each prefix once");
    }

    [Test]
    public void Evaluate_PromptsLongerThanContext_DropDemonstrationsFromTheFrontAndCountThem()
    {
        using var checkpoint = TinyGpt2Checkpoint.Create(seed: 5, EngineFixture.Words, positions: 150);
        using var small = ModelLoader.Load(checkpoint.Folder);
        using var folder = new TempFolder();
        var data = EngineFixture.Dataset(folder, EngineFixture.SentimentYaml);
        var warnings = new List<string>();
        using var session = new EvaluationSession(small, data, new EvaluationOptions { Seeds = [0, 1], BatchSize = 4, Warning = warnings.Add });
        var prepared = session.Prepared(SplitRole.Test);
        var result = session.Run([]);
        Assert.That(result.TruncatedPrompts, Is.GreaterThan(0).And.LessThanOrEqualTo(2 * data.Splits.Test.Count));
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain("context of 150"));
        EngineFixture.AssertMatchesBruteForce(small, prepared, result);
    }

    [Test]
    public void Evaluate_QueryAloneLongerThanContext_IsAnErrorNamingTheItem()
    {
        using var checkpoint = TinyGpt2Checkpoint.Create(seed: 5, EngineFixture.Words, positions: 20);
        using var tiny = ModelLoader.Load(checkpoint.Folder);
        using var folder = new TempFolder();
        var data = EngineFixture.Dataset(folder, EngineFixture.SentimentYaml);
        using var session = new EvaluationSession(tiny, data, new EvaluationOptions());
        var e = Assert.Throws<IclPruneException>(() => session.Prepared(SplitRole.Test))!;
        Assert.That(e.Message, Does.Contain("item 0").And.Contain("context of 20").And.Contain("never cut"));
    }

    [Test]
    public void Evaluate_PreparedTwice_SameResultAndSeedsAggregate()
    {
        using var folder = new TempFolder();
        var data = EngineFixture.Dataset(folder, EngineFixture.SentimentYaml);
        using var session = new EvaluationSession(_model, data, new EvaluationOptions { Seeds = [0, 1, 2], Split = SplitRole.Validation });
        var a = session.Run([PruneSpec.Parse("mlp@0:0")]);
        var b = session.Run([]);
        Assert.That(b.PerSeed.Select(s => s.ItemCorrect), Is.EqualTo(a.PerSeed.Select(s => s.ItemCorrect)));
        Assert.That(a.PruneSpecs, Is.EqualTo(new[] { "mlp@0:0" }));
        Assert.That(session.Evaluations, Is.EqualTo(2));
        Assert.That(session.RunSeconds, Has.Count.EqualTo(2).And.All.GreaterThan(0));
        Assert.That(a.Task, Is.EqualTo(new TaskIdentity("tiny-sentiment", "validation", data.Fingerprint)));
        Assert.That(a.Items, Has.Count.EqualTo(6));
        var accuracies = a.PerSeed.Select(s => s.Accuracy).ToList();
        double mean = accuracies.Average();
        Assert.That(a.Accuracy, Is.EqualTo(mean).Within(1e-12));
        Assert.That(a.AccuracyStd, Is.EqualTo(Math.Sqrt(accuracies.Sum(x => (x - mean) * (x - mean)) / 2)).Within(1e-12));
        Assert.That(a.Model.Fingerprint, Is.EqualTo(_model.Fingerprint));
    }
}
