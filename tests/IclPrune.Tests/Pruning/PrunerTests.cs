using IclPrune.Pruning;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Tests.Pruning;

public sealed class PrunerTests
{
    /// <summary>A two-layer GPT-J-named parameter set, d = 12, MLP 20 (odd sizes so shape bugs show).</summary>
    static Dictionary<string, Parameter> GptJ(ScalarType dtype = ScalarType.Float32)
    {
        var entries = new List<(string, Tensor)>();
        for (int layer = 0; layer < 2; layer++)
        {
            string p = $"transformer.h.{layer}.";
            int seed = layer * 10;
            entries.Add((p + "attn.q_proj.weight", TensorTestData.Random(12, 12, seed + 1, dtype)));
            entries.Add((p + "attn.k_proj.weight", TensorTestData.Random(12, 12, seed + 2, dtype)));
            entries.Add((p + "attn.v_proj.weight", TensorTestData.Random(12, 12, seed + 3, dtype)));
            entries.Add((p + "attn.out_proj.weight", TensorTestData.Random(12, 12, seed + 4, dtype)));
            entries.Add((p + "mlp.fc_in.weight", TensorTestData.Random(20, 12, seed + 5, dtype)));
            entries.Add((p + "mlp.fc_in.bias", TensorTestData.Random(1, 20, seed + 6, dtype).squeeze(0)));
            entries.Add((p + "mlp.fc_out.weight", TensorTestData.Random(12, 20, seed + 7, dtype)));
        }
        return TensorTestData.Parameters(entries.ToArray());
    }

    static PrunePlan Plan(IReadOnlyDictionary<string, Parameter> parameters, params string[] specs) =>
        PrunePlan.Resolve(specs.Select(PruneSpec.Parse), PruneTargetMaps.For("gptj", 12, 3, parameters.Keys), 2, parameters);

    [Test]
    public void Apply_ThenDispose_RestoresEveryParameterBitForBit()
    {
        var parameters = GptJ();
        string before = TensorTestData.Hash(parameters);
        using var pruner = new Pruner(parameters);
        using (pruner.Apply(Plan(parameters, "all@all:0.75")))
            Assert.That(TensorTestData.Hash(parameters), Is.Not.EqualTo(before));
        Assert.That(TensorTestData.Hash(parameters), Is.EqualTo(before));
    }

    [Test]
    public void Apply_ExceptionInsideScope_StillRestores()
    {
        var parameters = GptJ();
        string before = TensorTestData.Hash(parameters);
        using var pruner = new Pruner(parameters);
        Assert.Throws<InvalidOperationException>(() =>
        {
            using var scope = pruner.Apply(Plan(parameters, "mlp@1:0.5"));
            throw new InvalidOperationException("evaluation failed");
        });
        Assert.That(TensorTestData.Hash(parameters), Is.EqualTo(before));
        using (pruner.Apply(Plan(parameters, "mlp@0:0.5"))) { }   // the pruner is usable again
        Assert.That(TensorTestData.Hash(parameters), Is.EqualTo(before));
    }

    [Test]
    public void Apply_FailsHalfway_RestoresWhatWasAlreadyWritten()
    {
        var parameters = GptJ();
        var plan = Plan(parameters, "mlp@0:0.5", "o@1:0.5");
        string before = TensorTestData.Hash(parameters);
        // The pruner sees a model lacking the last matrix of the plan: the first steps are written, then it fails.
        var partial = parameters.Where(kv => kv.Key != "transformer.h.1.attn.out_proj.weight").ToDictionary();
        using var pruner = new Pruner(partial);
        Assert.Throws<IclPruneException>(() => pruner.Apply(plan));
        Assert.That(TensorTestData.Hash(parameters), Is.EqualTo(before));
    }

    [Test]
    public void Apply_RateZero_LeavesWeightsIdenticalWithoutSvd()
    {
        var parameters = GptJ();
        string before = TensorTestData.Hash(parameters);
        using var pruner = new Pruner(parameters);
        using (pruner.Apply(Plan(parameters, "all@all:0")))
            Assert.That(TensorTestData.Hash(parameters), Is.EqualTo(before));
        Assert.That(pruner.Cache.Decompositions, Is.Zero);
    }

    [Test]
    public void Apply_ChangesOnlyNamedMatricesToTheirRank()
    {
        var parameters = GptJ();
        var originals = parameters.ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        using var pruner = new Pruner(parameters);
        using var scope = pruner.Apply(Plan(parameters, "fc_in@-1:0.9"));
        foreach (var (name, p) in parameters)
        {
            bool changed = !TensorTestData.BitEqual(p, originals[name]);
            Assert.That(changed, Is.EqualTo(name == "transformer.h.1.mlp.fc_in.weight"), name);
        }
        var sigma = linalg.svdvals(parameters["transformer.h.1.mlp.fc_in.weight"].detach()).data<float>().ToArray();
        Assert.That(sigma.Count(s => s > 1e-5 * sigma[0]), Is.EqualTo(1));   // floor(12 * 0.1) = 1
    }

    [Test]
    public void Apply_NestedScope_Refused()
    {
        var parameters = GptJ();
        using var pruner = new Pruner(parameters);
        using var outer = pruner.Apply(Plan(parameters, "q@0:0.5"));
        Assert.Throws<InvalidOperationException>(() => pruner.Apply(Plan(parameters, "k@0:0.5")));
    }

    [TestCase(true, 2)]
    [TestCase(false, 6)]
    public void Cache_OneSvdPerMatrixAcrossRates(bool cache, int expectedSvds)
    {
        var parameters = GptJ();
        using var pruner = new Pruner(parameters, cacheSvd: cache);
        string[] rates = ["0.1", "0.5", "0.9"];
        var results = new List<Tensor>();
        foreach (string rate in rates)
            using (pruner.Apply(Plan(parameters, $"mlp@1:{rate}")))
                results.Add(parameters["transformer.h.1.mlp.fc_out.weight"].detach().clone());
        Assert.That(pruner.Cache.Decompositions, Is.EqualTo(expectedSvds));

        // Cached or not, each rate starts from the original weights: the same result as a fresh pruner.
        for (int i = 0; i < rates.Length; i++)
        {
            using var fresh = new Pruner(parameters, cacheSvd: false);
            using (fresh.Apply(Plan(parameters, $"mlp@1:{rates[i]}")))
                Assert.That(TensorTestData.BitEqual(parameters["transformer.h.1.mlp.fc_out.weight"], results[i]), Is.True, rates[i]);
        }
    }

    [Test]
    public void Cache_RetainLayers_FreesOtherLayersOnly()
    {
        var parameters = GptJ();
        using var pruner = new Pruner(parameters);
        using (pruner.Apply(Plan(parameters, "mlp@0:0.5"))) { }
        using (pruner.Apply(Plan(parameters, "mlp@1:0.5"))) { }
        Assert.That(pruner.Cache.Count, Is.EqualTo(4));
        pruner.Cache.RetainLayers(new HashSet<int> { 1 });
        Assert.That(pruner.Cache.Count, Is.EqualTo(2));
        using (pruner.Apply(Plan(parameters, "mlp@1:0.9"))) { }
        Assert.That(pruner.Cache.Decompositions, Is.EqualTo(4), "layer 1 still cached");
        using (pruner.Apply(Plan(parameters, "mlp@0:0.9"))) { }
        Assert.That(pruner.Cache.Decompositions, Is.EqualTo(6), "layer 0 decomposed again");
    }

    [TestCase(ScalarType.Float16)]
    [TestCase(ScalarType.BFloat16)]
    public void Apply_HalfPrecisionModel_KeepsDtypeAndRestoresExactly(ScalarType dtype)
    {
        var parameters = GptJ(dtype);
        string before = TensorTestData.Hash(parameters);
        using var pruner = new Pruner(parameters);
        using (pruner.Apply(Plan(parameters, "attn@0:0.5")))
        {
            var q = parameters["transformer.h.0.attn.q_proj.weight"];
            Assert.That(q.dtype, Is.EqualTo(dtype));
            // Reference: float32 truncated SVD of the original half weights, cast to the model dtype.
            using var factors = SvdFactors.Decompose(TensorTestData.Random(12, 12, 1, dtype));
            using var expected = factors.Reconstruct(6).to(dtype);
            Assert.That(TensorTestData.BitEqual(q, expected), Is.True);
        }
        Assert.That(TensorTestData.Hash(parameters), Is.EqualTo(before));
    }

    [Test]
    public void Apply_OnModuleNamedParameters_PrunesTheModule()
    {
        // The engine runs on whatever a module exposes by name: here a real TorchSharp module tree.
        using var generator = new Generator(7);
        var module = nn.Sequential(("fc_in", nn.Linear(12, 20)), ("fc_out", nn.Linear(20, 12)));
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var x = randn([3, 12], generator: generator);
        using var before = module.forward(x);
        string hash = TensorTestData.Hash(parameters);
        var map = new SingleLayerMap();
        var plan = PrunePlan.Resolve([PruneSpec.Parse("mlp@0:0.5")], map, 1, parameters);
        using var pruner = new Pruner(parameters);
        using (pruner.Apply(plan))
        {
            using var after = module.forward(x);
            Assert.That(TensorTestData.BitEqual(after, before), Is.False);
        }
        using var restored = module.forward(x);
        Assert.That(TensorTestData.BitEqual(restored, before), Is.True);
        Assert.That(TensorTestData.Hash(parameters), Is.EqualTo(hash));
    }

    [Test]
    public void ApplyPermanently_SameWeightsAsScopeAndNotRestored()
    {
        var parameters = GptJ();
        var plan = Plan(parameters, "attn@1:0.5", "fc_out@0:rank=2");
        using var pruner = new Pruner(parameters);
        string scoped;
        using (pruner.Apply(plan)) scoped = TensorTestData.Hash(parameters);
        using var permanent = new Pruner(parameters, cacheSvd: false);
        permanent.ApplyPermanently(plan);
        Assert.That(TensorTestData.Hash(parameters), Is.EqualTo(scoped));
    }

    sealed class SingleLayerMap : IPruneTargetMap
    {
        public string Family => "sequential";
        public IReadOnlyList<PruneTarget> Targets { get; } = [PruneTarget.FcIn, PruneTarget.FcOut];
        public MatrixSelection Locate(int layer, PruneTarget target) =>
            new(target == PruneTarget.FcIn ? "fc_in.weight" : "fc_out.weight", layer, target);
    }
}
