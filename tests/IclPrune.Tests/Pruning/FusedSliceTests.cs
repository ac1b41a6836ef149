using IclPrune.Pruning;
using static TorchSharp.torch;

namespace IclPrune.Tests.Pruning;

/// <summary>The q/k/v slices of fused matrices select what the HF forward uses as q, k and v.</summary>
public sealed class FusedSliceTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void NeoXSlice_MatchesPerHeadViewOfHfForward(int part)
    {
        const int heads = 3, headDim = 4, hidden = heads * headDim;
        using var w = TensorTestData.Random(3 * hidden, hidden, seed: 3);   // Linear [3D, D]
        var parameters = TensorTestData.Parameters(("gpt_neox.layers.0.attention.query_key_value.weight", w.clone()));
        var target = new[] { PruneTarget.Q, PruneTarget.K, PruneTarget.V }[part];
        var matrix = PruneTargetMaps.For("gpt_neox", hidden, heads, parameters.Keys).Locate(0, target);

        // HF modeling_gpt_neox: qkv.view(..., H, 3*Dh); q = [..., :Dh], k = [..., Dh:2Dh], v = [..., 2Dh:] (on output rows).
        using var expected = w.view(heads, 3, headDim, hidden).select(1, part).reshape(hidden, hidden);
        using var actual = parameters[matrix.Parameter].index_select(0, tensor(matrix.SliceIndex!));
        Assert.That(TensorTestData.BitEqual(actual, expected), Is.True);
    }

    [TestCase(PruneTarget.Q, 0)]
    [TestCase(PruneTarget.K, 1)]
    [TestCase(PruneTarget.V, 2)]
    public void Gpt2Slice_IsColumnThirdOfConv1D(PruneTarget target, int third)
    {
        const int hidden = 6;
        using var w = TensorTestData.Random(hidden, 3 * hidden, seed: 4);   // Conv1D [D, 3D]
        var parameters = TensorTestData.Parameters(("h.0.attn.c_attn.weight", w.clone()));
        var matrix = PruneTargetMaps.For("gpt2", hidden, 2, parameters.Keys).Locate(0, target);
        // HF modeling_gpt2: c_attn(x).split(D, dim=2) -> q, k, v: column blocks of the [D, 3D] weight.
        using var expected = w.narrow(1, third * hidden, hidden);
        using var actual = parameters[matrix.Parameter].index_select(1, tensor(matrix.SliceIndex!));
        Assert.That(TensorTestData.BitEqual(actual, expected), Is.True);
    }

    [Test]
    public void PruneQOfNeoX_ChangesOnlyQRows()
    {
        const int heads = 2, hidden = 8;
        using var w = TensorTestData.Random(3 * hidden, hidden, seed: 9);
        var parameters = TensorTestData.Parameters(("gpt_neox.layers.0.attention.query_key_value.weight", w.clone()));
        var map = PruneTargetMaps.For("gpt_neox", hidden, heads, parameters.Keys);
        var plan = PrunePlan.Resolve([PruneSpec.Parse("q@0:rank=1")], map, 1, parameters);
        using var pruner = new Pruner(parameters);
        using var scope = pruner.Apply(plan);
        var p = parameters.Values.Single();
        var qRows = map.Locate(0, PruneTarget.Q).SliceIndex!;
        for (long row = 0; row < 3 * hidden; row++)
        {
            bool same = TensorTestData.BitEqual(p[row], w[row]);
            Assert.That(same, Is.EqualTo(!qRows.Contains(row)), $"row {row}");
        }
        using var q = p.index_select(0, tensor(qRows));
        var sigma = linalg.svdvals(q).data<float>().ToArray();
        Assert.That(sigma.Count(s => s > 1e-5 * sigma[0]), Is.EqualTo(1));
    }
}
