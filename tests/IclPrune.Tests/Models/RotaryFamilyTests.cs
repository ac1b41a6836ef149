using IclPrune.Models;
using IclPrune.Runtime;

namespace IclPrune.Tests.Models;

/// <summary>LLaMA family, GPT-J and GPT-NeoX against their float64 references.</summary>
public sealed class RotaryFamilyTests
{
    // float32 model vs float64 reference, 2 layers, logits of magnitude ~1-10: rounding stays below 2e-4.
    const double Tolerance = 2e-4;
    // A wrong rotary variant moves logits by far more than rounding: require at least this much.
    const double WrongVariantMinimum = 1e-2;
    static readonly long[] Ids = [3, 17, 60, 0, 42, 42, 8, 29, 11, 5, 50];

    [OneTimeSetUp]
    public void InitTorch() => TorchRuntime.EnsureInitialized();

    [TestCase("llama")]
    [TestCase("mistral")]
    [TestCase("qwen2")]
    [TestCase("llama_variant")]
    public void Load_LlamaFamily_LogitsMatchFloat64Reference(string modelType)
    {
        using var checkpoint = RotaryCheckpoints.Llama(modelType);
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        using var actual = ModelRun.Logits(loaded.Model, Ids);
        using var expected = RotaryReferences.Llama(checkpoint, Ids);
        Assert.That(ModelRun.MaxAbsDiff(actual, expected), Is.LessThan(Tolerance));
        Assert.That(expected.abs().max().item<double>(), Is.GreaterThan(0.1));
    }

    // Half precision: fp16 keeps 11 mantissa bits, bf16 8 (~0.4% per op); bounds on logits of magnitude up to ~5.
    [TestCase("fp16", 0.05)]
    [TestCase("bf16", 0.25)]
    public void Load_LlamaHalfPrecision_CloseToReference(string dtype, double tolerance)
    {
        using var checkpoint = RotaryCheckpoints.Llama("llama");
        using var loaded = ModelLoader.Load(checkpoint.Folder, new ModelLoadOptions { DType = ModelLoadOptions.ParseDType(dtype) });
        using var actual = ModelRun.Logits(loaded.Model, Ids);
        using var expected = RotaryReferences.Llama(checkpoint, Ids);
        Assert.That(ModelRun.MaxAbsDiff(actual, expected), Is.LessThan(tolerance));
    }

    [Test]
    public void Load_MistralSlidingWindow_MatchesWindowedReferenceNotFull()
    {
        using var checkpoint = RotaryCheckpoints.Llama("mistral");
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        using var actual = ModelRun.Logits(loaded.Model, Ids);
        using var unwindowed = RotaryReferences.Llama(checkpoint, Ids, ignoreWindow: true);
        Assert.That(ModelRun.MaxAbsDiff(actual, unwindowed), Is.GreaterThan(WrongVariantMinimum), "window 5 over 11 tokens must matter");
        // Inside the window both agree: the first 5 positions see the same keys.
        Assert.That(ModelRun.MaxAbsDiff(actual.narrow(0, 0, 5), unwindowed.narrow(0, 0, 5)), Is.LessThan(Tolerance));
    }

    [Test]
    public void Load_Qwen2Tied_HeadIsEmbeddingAndBiasesLoaded()
    {
        using var checkpoint = RotaryCheckpoints.Llama("qwen2");
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        var names = loaded.Model.NamedParameters.Keys;
        Assert.That(names, Does.Contain("model.layers.0.self_attn.q_proj.bias"));
        Assert.That(names, Does.Not.Contain("model.layers.0.self_attn.o_proj.bias"));
        Assert.That(names, Does.Not.Contain("lm_head.weight"));
    }

    [Test]
    public void Load_LlamaSharded_ReadsEveryShard()
    {
        using var checkpoint = RotaryCheckpoints.Llama("llama");
        Assert.That(Directory.GetFiles(checkpoint.Folder, "model-*-of-*.safetensors").Length, Is.GreaterThan(1));
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        Assert.That(loaded.Model.NamedParameters["model.layers.1.mlp.down_proj.weight"].shape, Is.EqualTo(new long[] { 32, 37 }));
    }

    [Test]
    public void Load_GptJ_LogitsMatchReference_AndNotHalfSplitOrFullRotary()
    {
        using var checkpoint = RotaryCheckpoints.GptJ();
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        using var actual = ModelRun.Logits(loaded.Model, Ids);
        using var expected = RotaryReferences.GptJ(checkpoint, Ids);
        using var halfSplit = RotaryReferences.GptJ(checkpoint, Ids, RotaryVariant.SwapPairing);
        using var full = RotaryReferences.GptJ(checkpoint, Ids, RotaryVariant.FullHead);
        Assert.That(ModelRun.MaxAbsDiff(actual, expected), Is.LessThan(Tolerance));
        Assert.That(ModelRun.MaxAbsDiff(actual, halfSplit), Is.GreaterThan(WrongVariantMinimum), "interleaved, not half-split");
        Assert.That(ModelRun.MaxAbsDiff(actual, full), Is.GreaterThan(WrongVariantMinimum), "rotary_dim, not the whole head");
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Load_GptNeoX_LogitsMatchReference_AndNotInterleavedOrFullRotary(bool parallelResidual)
    {
        using var checkpoint = RotaryCheckpoints.GptNeoX(parallelResidual);
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        using var actual = ModelRun.Logits(loaded.Model, Ids);
        using var expected = RotaryReferences.GptNeoX(checkpoint, Ids);
        using var interleaved = RotaryReferences.GptNeoX(checkpoint, Ids, RotaryVariant.SwapPairing);
        using var full = RotaryReferences.GptNeoX(checkpoint, Ids, RotaryVariant.FullHead);
        Assert.That(ModelRun.MaxAbsDiff(actual, expected), Is.LessThan(Tolerance));
        Assert.That(ModelRun.MaxAbsDiff(actual, interleaved), Is.GreaterThan(WrongVariantMinimum), "half-split, not interleaved");
        Assert.That(ModelRun.MaxAbsDiff(actual, full), Is.GreaterThan(WrongVariantMinimum), "rotary_pct, not the whole head");
    }

    [Test]
    public void Load_GptNeoXParallelFlag_ChangesOutput()
    {
        // Same weights, only use_parallel_residual differs: the flag must matter.
        using var parallel = RotaryCheckpoints.GptNeoX(true, seed: 4);
        using var sequential = RotaryCheckpoints.GptNeoX(false, seed: 4);
        using var a = ModelLoader.Load(parallel.Folder);
        using var b = ModelLoader.Load(sequential.Folder);
        using var la = ModelRun.Logits(a.Model, Ids);
        using var lb = ModelRun.Logits(b.Model, Ids);
        Assert.That(ModelRun.MaxAbsDiff(la, lb), Is.GreaterThan(WrongVariantMinimum));
    }
}
