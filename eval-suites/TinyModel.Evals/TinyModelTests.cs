using IclAssertions.Constraints;

namespace TinyModel.Evals;

/// <summary>
/// The CI eval suite: the bundled tiny GPT-2 (`--model tiny`, docs/tiny-model.md) on the bundled synthetic tasks,
/// unpruned and pruned, each case gated against its committed .verified.json beside this file. Runs on the CPU in
/// seconds. A real accuracy drop (exact McNemar p &lt; 0.05 on the paired items) turns CI red; noise does not.
/// Measured when the snapshots were approved (3 seeds x the bundled test split, CPU fp32; re-approved for the
/// 2-layer model trained with the default `dev train-tiny` recipe): synth-2way 1.000, synth-4way 1.000 (chance 0.25);
/// last-layer MLP at xi = 0.9 leaves both unchanged; last-layer attention at xi = 0.9 drops synth-2way to 0.500.
/// </summary>
public class TinyModelTests
{
    static readonly int[] Seeds = [0, 1, 2];

    [OneTimeSetUp]
    public void RequireBundledModel()
    {
        // The tiny model is copied beside the assemblies from src/IclPrune/EmbeddedModel/tiny; a build without it
        // cannot run this suite.
        string config = Path.Combine(AppContext.BaseDirectory, "models", "tiny", "config.json");
        if (!File.Exists(config))
            Assert.Ignore($"the bundled tiny model is not in this build ({config} missing); see docs/tiny-model.md.");
    }

    // Floors well above chance (1/2 and 1/4): the model does in-context learning at all.
    [TestCase("synth-2way", 0.75)]
    [TestCase("synth-4way", 0.4)]
    public async Task Unpruned_MatchesApprovedSnapshot(string task, double floor)
    {
        var result = await IclEval.Model("tiny").Task(task).Seeds(Seeds).RunAsync();

        Assert.That(result, Has.AccuracyAtLeast(floor));
        Assert.That(result, Matches.ApprovedSnapshot());
    }

    // The last layer's MLP holds little of the in-context mechanism: keeping 10% of its rank must not hurt.
    [TestCase("synth-2way", "mlp@-1:0.9")]
    [TestCase("synth-4way", "mlp@-1:0.9")]
    public async Task LastLayerMlpPruned_NotSignificantlyWorse(string task, string prune)
    {
        var unpruned = await IclEval.Model("tiny").Task(task).Seeds(Seeds).RunAsync();
        var pruned = await IclEval.Model("tiny").Task(task).Seeds(Seeds).Prune(prune).RunAsync();

        Assert.That(pruned, Is.Not.SignificantlyWorseThan(unpruned));
        Assert.That(pruned, Matches.ApprovedSnapshot());
    }

    // In the 2-layer tiny model the last attention layer is part of the induction circuit that copies the label from the
    // demonstrations (Olsson et al. 2022); cutting it to 10% of its rank breaks ICL. Unlike the paper's 28-32 layer
    // models, "deep" here is not "tolerant": the gate must see this drop as significant.
    [Test]
    public async Task LastLayerAttentionPruned_IsSignificantlyWorse()
    {
        var unpruned = await IclEval.Model("tiny").Task("synth-2way").Seeds(Seeds).RunAsync();
        var pruned = await IclEval.Model("tiny").Task("synth-2way").Seeds(Seeds).Prune("attn@-1:0.9").RunAsync();

        Assert.That(pruned, Is.SignificantlyWorseThan(unpruned));
        Assert.That(pruned, Matches.ApprovedSnapshot());
    }
}
