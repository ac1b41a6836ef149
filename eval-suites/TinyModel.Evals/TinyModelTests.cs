using IclAssertions.Constraints;

namespace TinyModel.Evals;

/// <summary>
/// The CI eval suite: the bundled tiny GPT-2 (`--model tiny`, docs/tiny-model.md) on the bundled synthetic tasks,
/// unpruned and pruned, each case gated against its committed .verified.json beside this file. Runs on the CPU in
/// seconds. A real accuracy drop (exact McNemar p &lt; 0.05 on the paired items) turns CI red; noise does not.
/// </summary>
public class TinyModelTests
{
    static readonly int[] Seeds = [0, 1, 2];

    [OneTimeSetUp]
    public void RequireBundledModel()
    {
        // The tiny model is copied beside the assemblies from src/IclPrune/EmbeddedModel/tiny; a checkout without it
        // (before `train-tiny` has been run and committed) cannot run this suite.
        string config = Path.Combine(AppContext.BaseDirectory, "models", "tiny", "config.json");
        if (!File.Exists(config))
            Assert.Ignore($"the bundled tiny model is not in this build ({config} missing); see docs/tiny-model.md.");
    }

    [TestCase("synth-2way")]
    [TestCase("synth-4way")]
    public async Task Unpruned_MatchesApprovedSnapshot(string task)
    {
        var result = await IclEval.Model("tiny").Task(task).Seeds(Seeds).RunAsync();

        Assert.That(result, Matches.ApprovedSnapshot());
    }

    // Deep layers tolerate strong rank reduction (PAPER.md section 4, Fig. 1): the last layer's MLP or attention at
    // xi = 0.9 must not be significantly worse than the unpruned model on the same items.
    [TestCase("synth-2way", "mlp@-1:0.9")]
    [TestCase("synth-2way", "attn@-1:0.9")]
    [TestCase("synth-4way", "mlp@-1:0.9")]
    public async Task DeepLayerPruned_NotSignificantlyWorse(string task, string prune)
    {
        var unpruned = await IclEval.Model("tiny").Task(task).Seeds(Seeds).RunAsync();
        var pruned = await IclEval.Model("tiny").Task(task).Seeds(Seeds).Prune(prune).RunAsync();

        Assert.That(pruned, Is.Not.SignificantlyWorseThan(unpruned));
        Assert.That(pruned, Matches.ApprovedSnapshot());
    }
}
