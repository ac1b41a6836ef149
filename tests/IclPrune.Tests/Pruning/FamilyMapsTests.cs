using IclPrune.Models;
using IclPrune.Pruning;
using IclPrune.Tests.Models;

namespace IclPrune.Tests.Pruning;

/// <summary>The target maps against every family's real model (tiny checkpoints through the real loader).</summary>
public sealed class FamilyMapsTests
{
    static readonly long[] Ids = [3, 17, 40, 0, 42, 8, 29, 11];

    static IEnumerable<string> Families => TinyModels.Families;

    [TestCaseSource(nameof(Families))]
    public void All_CoversExactlyTheModelsPrunableMatricesWithTheirGroups(string family)
    {
        using var checkpoint = TinyModels.Create(family);
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        var model = (DecoderModel)loaded.Model;
        int layers = model.Description.NumLayers;
        var map = PruneTargetMaps.For(model.Description, model.NamedParameters.Keys);
        foreach (string group in new[] { "attn", "mlp" })
        {
            var plan = PrunePlan.Resolve([PruneSpec.Parse($"{group}@all:0.5")], map, layers, model.NamedParameters);
            var ours = plan.Steps.Select(s => s.Matrix.Parameter).Distinct().Order().ToList();
            var theirs = Enumerable.Range(0, layers).SelectMany(model.PrunableMatrices).Where(m => m.Group == group)
                .Select(m => m.Name).Order().ToList();
            Assert.That(ours, Is.EqualTo(theirs), $"{family} {group}");
        }
    }

    [TestCaseSource(nameof(Families))]
    public void Apply_ChangesLogitsAndRestoresThemBitForBit(string family)
    {
        using var checkpoint = TinyModels.Create(family);
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        var model = loaded.Model;
        var map = PruneTargetMaps.For(model.Description, model.NamedParameters.Keys);
        string hash = TensorTestData.Hash(model.NamedParameters);
        using var before = ModelRun.Logits(model, Ids);
        using var pruner = new Pruner(model.NamedParameters);
        string[] specs = map.Targets.Contains(PruneTarget.Qkv) ? ["qkv@0:0.75", "mlp@-1:0.9"] : ["attn@0:0.75", "mlp@-1:0.9"];
        var plan = PrunePlan.Resolve(specs.Select(PruneSpec.Parse), map, model.Description.NumLayers, model.NamedParameters);
        using (pruner.Apply(plan))
        {
            using var pruned = ModelRun.Logits(model, Ids);
            Assert.That(ModelRun.MaxAbsDiff(pruned, before), Is.GreaterThan(1e-4));
        }
        using var after = ModelRun.Logits(model, Ids);
        Assert.That(ModelRun.MaxAbsDiff(after, before), Is.EqualTo(0));
        Assert.That(TensorTestData.Hash(model.NamedParameters), Is.EqualTo(hash));
    }
}
