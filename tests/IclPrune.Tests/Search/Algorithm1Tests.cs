using IclPrune.Evaluation;
using IclPrune.Pruning;
using IclPrune.Search;
using IclPrune.Tests.Pruning;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Tests.Search;

/// <summary>
/// Algorithm 1 on a constructed case with a known answer. Four GPT-J-named layers whose MLP matrices have
/// prescribed condition numbers (fc_in, fc_out): layer 0 (100, 100), 1 (5, 5), 2 (50, 50), 3 (90, 2).
/// Top-2 by max = {0, 3} -> layer 3; by mean = {0 (100), 2 (50)} (3 has 46) -> layer 2.
/// The evaluator prunes the real parameters with the real pruner, reads back the kept rank of the chosen layer's
/// fc_in from its singular values, and scores from a table keyed by that rank (d 200: ranks 180, 100, 50, 20, 10, 2, 1
/// for the paper's grid). The best validation score, 70/100, is reached at 0.9 (rank 20) and again at 0.99 (rank 2):
/// strict improvement keeps 0.9. Equal scores at 0.1 and 0.75 are not improvements either.
/// </summary>
public sealed class Algorithm1Tests
{
    const int Hidden = 200, Inner = 400, Layers = 4;
    static readonly Dictionary<int, int> ValidationCorrectByRank = new()
    {
        [200] = 60, [180] = 60, [100] = 63, [50] = 63, [20] = 70, [10] = 65, [2] = 70, [1] = 20,
    };

    static Dictionary<string, Parameter> Model()
    {
        (double FcIn, double FcOut)[] conditions = [(100, 100), (5, 5), (50, 50), (90, 2)];
        var entries = new List<(string, Tensor)>();
        for (int layer = 0; layer < Layers; layer++)
        {
            entries.Add(($"transformer.h.{layer}.mlp.fc_in.weight", WithCondition(Inner, Hidden, conditions[layer].FcIn, layer * 2)));
            entries.Add(($"transformer.h.{layer}.mlp.fc_out.weight", WithCondition(Inner, Hidden, conditions[layer].FcOut, layer * 2 + 1).t().contiguous()));
        }
        return TensorTestData.Parameters(entries.ToArray());
    }

    /// <summary>Q1 diag(s) Q2^T with s geometric from <paramref name="condition"/> down to 1 (built in float64).</summary>
    static Tensor WithCondition(int rows, int columns, double condition, int seed)
    {
        using var scope = NewDisposeScope();
        var (q1, _) = linalg.qr(TensorTestData.Random(rows, columns, seed, ScalarType.Float64));
        var (q2, _) = linalg.qr(TensorTestData.Random(columns, columns, seed + 100, ScalarType.Float64));
        var s = logspace(Math.Log10(condition), 0, columns, dtype: ScalarType.Float64);
        return (q1 * s.unsqueeze(0)).matmul(q2.t()).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    sealed class TableEvaluator(Dictionary<string, Parameter> parameters, int expectedLayer)
    {
        public readonly string OriginalHash = TensorTestData.Hash(parameters);
        readonly IPruneTargetMap _map = PruneTargetMaps.For("gptj", Hidden, 4, parameters.Keys);
        readonly Pruner _pruner = new(parameters);
        public readonly List<(string Specs, SplitRole Split)> Calls = new();

        public EvaluationResult Evaluate(IReadOnlyList<PruneSpec> specs, SplitRole split)
        {
            Assert.That(TensorTestData.Hash(parameters), Is.EqualTo(OriginalHash), "every evaluation must start from the original weights");
            Calls.Add((string.Join(" ", specs), split));
            var plan = PrunePlan.Resolve(specs, _map, Layers, parameters);
            using var scope = _pruner.Apply(plan);
            int rank = NumericalRank(parameters[$"transformer.h.{expectedLayer}.mlp.fc_in.weight"]);
            int correct = split == SplitRole.Validation ? ValidationCorrectByRank[rank] : rank == Hidden ? 14 : 19;
            // Test split: baseline right on items 0..13; pruned (rank 20) right on 0..12 and 14..19: b = 1, c = 6.
            bool[] items = split == SplitRole.Validation
                ? ConstructedResults.FirstCorrect(100, correct)
                : rank == Hidden ? ConstructedResults.FirstCorrect(20, 14) : Enumerable.Range(0, 20).Select(i => i != 13).ToArray();
            return ConstructedResults.Of(specs.Select(s => s.ToString()).ToList(), split.ToString(), items);
        }

        static int NumericalRank(Tensor w)
        {
            var sigma = linalg.svdvals(w.detach()).data<float>().ToArray();
            return sigma.Count(s => s > 1e-4 * sigma[0]);
        }
    }

    [Test]
    public void Run_MaxReduce_PicksDeepestOfTopKAndFirstStrictBest()
    {
        var parameters = Model();
        var conditions = ModuleConditions.Compute(parameters, PruneTargetMaps.For("gptj", Hidden, 4, parameters.Keys), Layers, "mlp");
        Assert.That(conditions[3].Reduce(ConditionReduce.Max), Is.EqualTo(90).Within(1e-3));
        Assert.That(conditions[3].Reduce(ConditionReduce.Mean), Is.EqualTo(46).Within(1e-3));

        var evaluator = new TableEvaluator(parameters, expectedLayer: 3);
        var result = Algorithm1.Run(new SearchOptions("mlp", TopK: 2), conditions, evaluator.Evaluate);

        Assert.That(result.TopLayers, Is.EquivalentTo(new[] { 0, 3 }));
        Assert.That(result.ChosenLayer, Is.EqualTo(3));
        Assert.That(result.BestRate, Is.EqualTo(0.9m));
        Assert.That(result.BestSpec, Is.EqualTo("mlp@3:0.9"));
        Assert.That(result.ValidationCurve.Select(p => p.Correct), Is.EqualTo(new[] { 60, 60, 63, 63, 70, 65, 70, 20 }));
        Assert.That(result.ValidationCurve.Select(p => p.Improved), Is.EqualTo(new[] { false, false, true, false, true, false, false, false }));

        // Test: baseline 14/20, pruned 19/20; discordant b = 1, c = 6 -> exact McNemar p = 2 * 8 / 128.
        var seed = result.Test.PerSeed.Single();
        Assert.That((seed.BaselineAccuracy, seed.PrunedAccuracy), Is.EqualTo((0.7, 0.95)));
        Assert.That((seed.BaselineOnlyCorrect, seed.PrunedOnlyCorrect), Is.EqualTo((1, 6)));
        Assert.That(seed.McNemarP, Is.EqualTo(0.125).Within(1e-12));

        // Rate 0 is not re-evaluated; every other rate once on validation, then test twice.
        Assert.That(evaluator.Calls.Count(c => c.Split == SplitRole.Validation), Is.EqualTo(1 + 7));
        Assert.That(evaluator.Calls.Where(c => c.Split == SplitRole.Test).Select(c => c.Specs), Is.EqualTo(new[] { "", "mlp@3:0.9" }));
        Assert.That(TensorTestData.Hash(parameters), Is.EqualTo(evaluator.OriginalHash));
    }

    [Test]
    public void Run_MeanReduce_PicksLayerTwo()
    {
        var parameters = Model();
        var conditions = ModuleConditions.Compute(parameters, PruneTargetMaps.For("gptj", Hidden, 4, parameters.Keys), Layers, "mlp");
        var evaluator = new TableEvaluator(parameters, expectedLayer: 2);
        var result = Algorithm1.Run(new SearchOptions("mlp", TopK: 2, Reduce: ConditionReduce.Mean), conditions, evaluator.Evaluate);
        Assert.That(result.TopLayers, Is.EqualTo(new[] { 0, 2 }));
        Assert.That(result.ChosenLayer, Is.EqualTo(2));
    }

    [Test]
    public void Run_NoImprovement_KeepsUnprunedAndReportsNoChange()
    {
        var parameters = Model();
        var conditions = ModuleConditions.Compute(parameters, PruneTargetMaps.For("gptj", Hidden, 4, parameters.Keys), Layers, "mlp");
        var evaluator = new TableEvaluator(parameters, expectedLayer: 3);
        // Only rates whose scores do not beat the baseline (60): 0.1 -> 60, 0.995 -> 20.
        var result = Algorithm1.Run(new SearchOptions("mlp", TopK: 2, Rates: [0.1m, 0.995m]), conditions, evaluator.Evaluate);
        Assert.That(result.BestRate, Is.EqualTo(0m));
        Assert.That(result.BestSpec, Is.Null);
        var seed = result.Test.PerSeed.Single();
        Assert.That((seed.BaselineOnlyCorrect, seed.PrunedOnlyCorrect, seed.McNemarP), Is.EqualTo((0, 0, 1.0)));
        Assert.That(evaluator.Calls.Count(c => c.Split == SplitRole.Test), Is.EqualTo(1));
    }

    [TestCase("ffn", 3)]
    [TestCase("mlp", 0)]
    [TestCase("mlp", 5)]
    public void Run_InvalidOptions_ThrowUsage(string module, int topK)
    {
        var conditions = Enumerable.Range(0, 4).Select(l => new LayerCondition(l, [new MatrixCondition("m", "fc_in", l)])).ToList();
        Assert.Throws<UsageException>(() => Algorithm1.Run(new SearchOptions(module, topK), conditions, (_, _) => throw new AssertionException("not reached")));
    }

    [Test]
    public void TopLayers_Ties_PreferDeeper()
    {
        var layers = new[] { 5.0, 9.0, 5.0, 1.0 }.Select((c, l) => new LayerConditionSummary(l, c, [])).ToList();
        Assert.That(Algorithm1.TopLayers(layers, 2), Is.EqualTo(new[] { 1, 2 }));
    }
}
