using IclPrune.Models;
using IclPrune.Pruning;

namespace IclPrune.Tests.Models;

/// <summary>The family registry is the only list of families: config parsing, model creation and pruning all read it.</summary>
public sealed class ModelFamiliesTests
{
    [Test]
    public void SupportedModelTypes_EachReadByExactlyOneFamily_InRegistryOrder()
    {
        Assert.That(ModelFamilies.SupportedModelTypes, Is.EqualTo(new[] { "gpt2", "gptj", "llama", "mistral", "qwen2", "gpt_neox" }));
        foreach (string modelType in ModelFamilies.SupportedModelTypes)
            Assert.That(ModelFamilies.All.Count(f => f.ModelTypes.Contains(modelType)), Is.EqualTo(1), modelType);
    }

    [Test]
    public void SupportedModelTypes_EveryOneHasATinyCheckpointInTheTests()
    {
        // The per-family tests (FamilyMapsTests, InferenceTests, ...) run over TinyModels.Families: a family added to
        // the registry without a tiny checkpoint would go untested.
        Assert.That(TinyModels.Families, Is.SupersetOf(ModelFamilies.SupportedModelTypes));
    }

    [TestCaseSource(typeof(TinyModels), nameof(TinyModels.Families))]
    public void Load_EveryFamily_ParsesCreatesAndMapsThroughTheRegistry(string family)
    {
        using var checkpoint = TinyModels.Create(family);
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        var expected = ModelFamilies.Find(loaded.Config.ModelType);
        Assert.That(expected, Is.Not.Null);
        var map = PruneTargetMaps.For(loaded.Model.Description, loaded.Model.NamedParameters.Keys);
        Assert.That(map.Family, Is.EqualTo(loaded.Config.ModelType));
        // The registry's model is the one loaded (same class as a fresh one made by the family).
        using var fresh = expected!.CreateModel(loaded.Config, new ModelLoadOptions());
        Assert.That(loaded.Model.GetType(), Is.EqualTo(fresh.GetType()));
    }

    [Test]
    public void Parse_UnknownModelType_ErrorListsEveryRegisteredType()
    {
        var e = Assert.Throws<IclPruneException>(() => ModelConfig.Parse("""{"model_type": "bert"}""", "/x/config.json"));
        Assert.That(e!.Message, Is.EqualTo("/x/config.json: model_type 'bert' is not supported; supported: gpt2, gptj, llama, mistral, qwen2, gpt_neox."));
    }

    [Test]
    public void PruneTargetMaps_UnknownModelType_ErrorListsEveryRegisteredType()
    {
        var e = Assert.Throws<IclPruneException>(() => PruneTargetMaps.For("bert", 8, 2, []));
        Assert.That(e!.Message, Is.EqualTo("pruning does not know model_type 'bert'; supported: gpt2, gptj, llama, mistral, qwen2, gpt_neox."));
    }

    [TestCase("gpt2", true, false)]
    [TestCase("gptj", false, false)]
    [TestCase("llama", false, true)]
    [TestCase("mistral", false, true)]
    [TestCase("qwen2", false, true)]
    [TestCase("gpt_neox", false, false)]
    public void Find_EachModelType_KnowsItsPositionsAndMlpShape(string modelType, bool learnedPositions, bool gatedMlp)
    {
        var family = ModelFamilies.Find(modelType)!;
        Assert.That((family.LearnedPositions, family.GatedMlp), Is.EqualTo((learnedPositions, gatedMlp)));
    }
}
