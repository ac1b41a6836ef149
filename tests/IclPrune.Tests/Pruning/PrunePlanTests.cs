using IclPrune.Pruning;

namespace IclPrune.Tests.Pruning;

public sealed class PrunePlanTests
{
    // GPT-2 names as a base-model checkpoint stores them (no "transformer." prefix), d = 8, 2 layers.
    static readonly Dictionary<string, long[]> Gpt2Shapes = new()
    {
        ["h.0.attn.c_attn.weight"] = [8, 24], ["h.0.attn.c_proj.weight"] = [8, 8],
        ["h.0.mlp.c_fc.weight"] = [8, 32], ["h.0.mlp.c_proj.weight"] = [32, 8],
        ["h.1.attn.c_attn.weight"] = [8, 24], ["h.1.attn.c_proj.weight"] = [8, 8],
        ["h.1.mlp.c_fc.weight"] = [8, 32], ["h.1.mlp.c_proj.weight"] = [32, 8],
    };

    static PrunePlan Gpt2(params string[] specs)
    {
        var map = PruneTargetMaps.For("gpt2", 8, 2, Gpt2Shapes.Keys);
        return PrunePlan.Resolve(specs.Select(PruneSpec.Parse), map, 2, n => Gpt2Shapes.GetValueOrDefault(n));
    }

    [Test]
    public void Resolve_Gpt2AttnGroup_SlicesQkvPerThirdAndAddsO()
    {
        var plan = Gpt2("attn@-1:0.5");
        Assert.That(plan.Steps.Select(s => s.Matrix.Key), Is.EqualTo(new[]
        {
            "h.1.attn.c_attn.weight[q]", "h.1.attn.c_attn.weight[k]", "h.1.attn.c_attn.weight[v]", "h.1.attn.c_proj.weight",
        }));
        var q = plan.Steps[0];
        Assert.That((q.Rows, q.Columns, q.Rank), Is.EqualTo((8L, 8L, 4)));
        Assert.That(plan.Steps[1].Matrix.SliceIndex, Is.EqualTo(MatrixSelection.Range(8, 8)));
        Assert.That(plan.FirstChangedLayer, Is.EqualTo(1));
    }

    [Test]
    public void Resolve_Gpt2WithTransformerPrefix_UsesPrefixedNames()
    {
        var shapes = Gpt2Shapes.ToDictionary(kv => "transformer." + kv.Key, kv => kv.Value);
        var map = PruneTargetMaps.For("gpt2", 8, 2, shapes.Keys);
        var plan = PrunePlan.Resolve([PruneSpec.Parse("qkv@0:0.5")], map, 2, n => shapes.GetValueOrDefault(n));
        Assert.That(plan.Steps.Single().Matrix.Key, Is.EqualTo("transformer.h.0.attn.c_attn.weight"));
        Assert.That(plan.Steps.Single().Rank, Is.EqualTo(4));   // min(8, 24) * 0.5
    }

    [Test]
    public void Resolve_MlpGroupOnGpt2_SkipsFcUp()
    {
        var plan = Gpt2("mlp@all:0.9");
        Assert.That(plan.Steps.Select(s => s.Matrix.Target).Distinct(), Is.EqualTo(new[] { PruneTarget.FcIn, PruneTarget.FcOut }));
        Assert.That(plan.Steps, Has.Count.EqualTo(4));
    }

    [Test]
    public void Resolve_TargetFamilyLacks_ThrowsListingValidTargets()
    {
        var e = Assert.Throws<UsageException>(() => Gpt2("fc_up@0:0.5"));
        Assert.That(e!.Message, Does.Contain("gpt2").And.Contain("q, k, v, o, qkv, fc_in, fc_out"));
    }

    [Test]
    public void Resolve_QkvOnLlama_Throws() =>
        Assert.Throws<UsageException>(() => PrunePlan.Resolve([PruneSpec.Parse("qkv@0:0.5")],
            PruneTargetMaps.For("llama", 8, 2, []), 2, _ => [8, 8]));

    [Test]
    public void Resolve_WholeAndSliceOfFusedMatrix_RefusesOverlap()
    {
        var e = Assert.Throws<UsageException>(() => Gpt2("qkv@0:0.5", "q@0:0.9"));
        Assert.That(e!.Message, Does.Contain("overlaps"));
    }

    [Test]
    public void Resolve_SameMatrixTwice_LaterSpecWins()
    {
        var plan = Gpt2("all@all:0.5", "fc_in@1:rank=1");
        var fcIn1 = plan.Steps.Single(s => s.Matrix.Key == "h.1.mlp.c_fc.weight");
        Assert.That(fcIn1.Rank, Is.EqualTo(1));
        Assert.That(plan.Steps, Has.Count.EqualTo(12));
    }

    [Test]
    public void Resolve_LayerOutOfRange_Throws() =>
        Assert.Throws<UsageException>(() => Gpt2("mlp@2:0.5"));

    [Test]
    public void Resolve_LlamaGqa_KUsesItsOwnShape()
    {
        var map = PruneTargetMaps.For("llama", 16, 4, []);
        long[] Shape(string n) => n.Contains("k_proj") || n.Contains("v_proj") ? [8, 16] : n.Contains("mlp") ? [40, 16] : [16, 16];
        var plan = PrunePlan.Resolve([PruneSpec.Parse("all@0:0.5")], map, 1, Shape);
        Assert.That(plan.Steps.Select(s => (s.Matrix.Parameter, s.Rank)), Is.EqualTo(new[]
        {
            ("model.layers.0.self_attn.q_proj.weight", 8), ("model.layers.0.self_attn.k_proj.weight", 4),
            ("model.layers.0.self_attn.v_proj.weight", 4), ("model.layers.0.self_attn.o_proj.weight", 8),
            ("model.layers.0.mlp.gate_proj.weight", 8), ("model.layers.0.mlp.up_proj.weight", 8),
            ("model.layers.0.mlp.down_proj.weight", 8),
        }));
    }

    [Test]
    public void Resolve_MissingParameter_ThrowsNamingIt()
    {
        var e = Assert.Throws<IclPruneException>(() => PrunePlan.Resolve([PruneSpec.Parse("o@0:0.5")],
            PruneTargetMaps.For("gptj", 8, 2, []), 1, _ => null));
        Assert.That(e!.Message, Does.Contain("transformer.h.0.attn.out_proj.weight"));
    }

    [Test]
    public void Recipe_MixedEntries_ParsesInOrder()
    {
        const string yaml = """
            prune:
              - spec: mlp@26:0.95
              - targets: [q, v]
                layers: -2
                rank: 64
              - targets: attn
                layers: 0-3
                rate: 0.5
              - fc_out@1:0.1
            """;
        var specs = PruneRecipe.Parse(yaml, "r.yaml");
        Assert.That(specs.Select(s => s.ToString()), Is.EqualTo(new[] { "mlp@26:0.95", "q,v@-2:rank=64", "attn@0-3:0.5", "fc_out@1:0.1" }));
    }

    [Test]
    public void Recipe_BadField_ThrowsNamingFileLineAndValidFields()
    {
        const string yaml = "prune:\n  - targets: mlp\n    layer: 3\n    rate: 0.5\n";
        var e = Assert.Throws<UsageException>(() => PruneRecipe.Parse(yaml, "r.yaml"));
        Assert.That(e!.Message, Does.Contain("r.yaml").And.Contain("line 2").And.Contain("'layer'").And.Contain("layers"));
    }

    [Test]
    public void Recipe_BadRate_ThrowsWithLocation()
    {
        const string yaml = "prune:\n  - targets: mlp\n    layers: 3\n    rate: 1.5\n";
        var e = Assert.Throws<UsageException>(() => PruneRecipe.Parse(yaml, "r.yaml"));
        Assert.That(e!.Message, Does.Contain("r.yaml' line 2").And.Contain("[0, 1)"));
    }
}
