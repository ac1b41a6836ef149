using IclPrune.Models;
using IclPrune.Pruning;
using IclPrune.Search;
using IclPrune.Tests.Models;
using static TorchSharp.torch;

namespace IclPrune.Tests.Search;

/// <summary>
/// Layer-input reuse on every family: the evaluator's call pattern (prefix with cache, then right-padded queries
/// continuing the shared batch-1 prefix cache) gives the same hidden states through the wrapper as through the model, for
/// several configurations of the same layer, while the later ones skip the lower layers.
/// </summary>
public sealed class LayerInputReuseTests
{
    static IEnumerable<string> Families => TinyModels.Families;

    static (Tensor Hidden, Tensor PrefixLast) Run(ICausalLanguageModel model, Tensor prefix, Tensor queries, Tensor mask)
    {
        var prefixOut = model.Forward(new DecoderInput(prefix, UseCache: true));
        var past = prefixOut.Cache!;   // batch 1: shared by every query row
        var output = model.Forward(new DecoderInput(queries, mask, past));
        return (output.Hidden, prefixOut.Hidden[0, -1]);
    }

    [TestCaseSource(nameof(Families))]
    public void Forward_PrefixThenQueries_SameHiddenAsPlainModel(string family)
    {
        using var checkpoint = TinyModels.Create(family);
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        var model = loaded.Model;
        int layers = model.Description.NumLayers;
        var map = PruneTargetMaps.For(model.Description, model.NamedParameters.Keys);
        using var pruner = new Pruner(model.NamedParameters);
        using var reuse = new LayerInputReuse(model);
        using var prefix = tensor(new long[] { 5, 9, 2, 33, 7, 1 }).view(1, 6);                          // [1, P]
        using var queries = tensor(new long[] { 4, 8, 15, 16, 23, 42, 3, 0, 11, 12, 0, 0 }).view(3, 4);  // [R, T]
        using var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0 }).view(3, 4);           // right padding

        string[] configs = ["mlp@-1:0.5", "attn@-1:0.75", "fc_out@-1:rank=1", "mlp@-1:0.5"];
        foreach (string config in configs)
        {
            var plan = PrunePlan.Resolve([PruneSpec.Parse(config)], map, layers, model.NamedParameters);
            using var scope = pruner.Apply(plan);
            using var _ = inference_mode();
            using var disposeScope = NewDisposeScope();
            var (expected, expectedPrefix) = Run(model, prefix, queries, mask);
            reuse.ReuseFrom = plan.FirstChangedLayer;
            var (actual, actualPrefix) = Run(reuse, prefix, queries, mask);
            // Same ops on the same inputs: equal up to float32 rounding of the layer-input handoff (observed: exact).
            Assert.That((actual - expected).abs().max().item<float>(), Is.LessThanOrEqualTo(1e-6f), $"{family} {config}");
            Assert.That((actualPrefix - expectedPrefix).abs().max().item<float>(), Is.LessThanOrEqualTo(1e-6f), $"{family} {config} prefix");
        }
        Assert.That(reuse.Misses, Is.EqualTo(2), "prefix and query batch computed once");
        Assert.That(reuse.Hits, Is.EqualTo(2 * (configs.Length - 1)));
    }

    [Test]
    public void Forward_NoReuseLayer_PassesThrough()
    {
        using var checkpoint = TinyModels.Create("gpt2");
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        using var reuse = new LayerInputReuse(loaded.Model) { ReuseFrom = 0 };
        using var ids = tensor(new long[] { 1, 2, 3 }).view(1, 3);
        using var a = reuse.Forward(new DecoderInput(ids));
        using var b = loaded.Model.Forward(new DecoderInput(ids));
        Assert.That(IclPrune.Tests.Pruning.TensorTestData.BitEqual(a.Hidden, b.Hidden), Is.True);
        Assert.That(reuse.Hits + reuse.Misses, Is.Zero);
    }
}
