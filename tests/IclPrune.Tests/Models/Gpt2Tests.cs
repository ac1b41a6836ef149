using IclPrune.Checkpoints;
using IclPrune.Models;
using IclPrune.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tests.Models;

public sealed class Gpt2Tests
{
    // float32 model vs float64 reference over 2 layers with O(1) logits: rounding stays below 1e-4.
    const double Tolerance = 1e-4;
    static readonly long[] Ids = [3, 17, 60, 0, 42, 42, 8, 29, 11];

    [OneTimeSetUp]
    public void InitTorch() => TorchRuntime.EnsureInitialized();

    [TestCase(false)]
    [TestCase(true)]
    public void Load_WithOrWithoutTransformerPrefix_LogitsMatchFloat64Reference(bool withPrefix)
    {
        using var checkpoint = Gpt2Checkpoints.Create(withPrefix: withPrefix);
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        using var actual = ModelRun.Logits(loaded.Model, Ids);
        using var expected = Gpt2Reference.Logits(checkpoint, Ids, withPrefix ? "transformer." : "");
        Assert.That(actual.shape, Is.EqualTo(new long[] { Ids.Length, Gpt2Checkpoints.Vocab }));
        Assert.That(ModelRun.MaxAbsDiff(actual, expected), Is.LessThan(Tolerance));
        Assert.That(expected.abs().max().item<double>(), Is.GreaterThan(0.1), "logits are not trivially small");
    }

    [Test]
    public void Load_Sharded_SameLogitsAsSingleFile()
    {
        using var single = Gpt2Checkpoints.Create(seed: 3);
        using var sharded = Gpt2Checkpoints.Create(seed: 3, maxShardBytes: 8_000);
        Assert.That(Directory.GetFiles(sharded.Folder, "model-*-of-*.safetensors").Length, Is.GreaterThan(1));
        using var a = ModelLoader.Load(single.Folder);
        using var b = ModelLoader.Load(sharded.Folder);
        using var la = ModelRun.Logits(a.Model, Ids);
        using var lb = ModelRun.Logits(b.Model, Ids);
        Assert.That(ModelRun.MaxAbsDiff(la, lb), Is.EqualTo(0));
    }

    [Test]
    public void NamedParameters_UseHfNamesWithPrefix_HeadTied()
    {
        using var checkpoint = Gpt2Checkpoints.Create();
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        var names = loaded.Model.NamedParameters;
        Assert.That(names.Keys, Does.Contain("transformer.h.1.attn.c_attn.weight"));
        Assert.That(names["transformer.h.1.mlp.c_fc.weight"].shape, Is.EqualTo(new long[] { Gpt2Checkpoints.Hidden, Gpt2Checkpoints.Inner }));
        Assert.That(names.Keys, Has.None.Contains("lm_head"));
        Assert.That(names.Count, Is.EqualTo(4 + 12 * Gpt2Checkpoints.Layers));
        Assert.That(loaded.Model.Description.ParameterCount, Is.EqualTo(checkpoint.Weights.Values.Sum(w => w.numel())));
    }

    [Test]
    public void Load_Bf16_CloseToFloat32()
    {
        using var checkpoint = Gpt2Checkpoints.Create();
        using var loaded = ModelLoader.Load(checkpoint.Folder, new ModelLoadOptions { DType = ScalarType.BFloat16 });
        Assert.That(loaded.Model.NamedParameters.Values.All(p => p.dtype == ScalarType.BFloat16), Is.True);
        using var actual = ModelRun.Logits(loaded.Model, Ids);
        using var expected = Gpt2Reference.Logits(checkpoint, Ids);
        // bfloat16 keeps 8 bits of mantissa: ~0.4% per op; 0.15 absolute on logits of magnitude ~3.
        Assert.That(ModelRun.MaxAbsDiff(actual, expected), Is.LessThan(0.15));
    }

    [Test]
    public void Load_MissingAndUnexpectedKeys_ListsBoth()
    {
        using var checkpoint = Gpt2Checkpoints.Create();
        string path = Path.Combine(checkpoint.Folder, "model.safetensors");
        var tensors = new Dictionary<string, Tensor>();
        using (var file = SafetensorsFile.Open(path))
            foreach (var name in file.Entries.Keys.Where(n => n != "h.1.mlp.c_fc.bias"))
                tensors[name] = file.Read(name);
        tensors["h.1.mlp.c_fc.extra"] = torch.zeros(3);
        SafetensorsWriter.Write(path, tensors);
        var e = Assert.Throws<IclPruneException>(() => ModelLoader.Load(checkpoint.Folder));
        Assert.That(e!.Message, Does.Contain("missing keys (1): transformer.h.1.mlp.c_fc.bias"));
        Assert.That(e.Message, Does.Contain("unexpected keys (1): h.1.mlp.c_fc.extra"));
    }

    [Test]
    public void Load_WrongShape_ReportedBeforeAnyNativeCall()
    {
        using var checkpoint = Gpt2Checkpoints.Create();
        string path = Path.Combine(checkpoint.Folder, "model.safetensors");
        var tensors = new Dictionary<string, Tensor>();
        using (var file = SafetensorsFile.Open(path))
            foreach (var name in file.Entries.Keys)
                tensors[name] = file.Read(name);
        tensors["h.0.attn.c_attn.weight"] = torch.zeros(3 * Gpt2Checkpoints.Hidden, Gpt2Checkpoints.Hidden); // transposed
        SafetensorsWriter.Write(path, tensors);
        var e = Assert.Throws<IclPruneException>(() => ModelLoader.Load(checkpoint.Folder));
        Assert.That(e!.Message, Does.Contain("'h.0.attn.c_attn.weight' has shape [72, 24] but the config needs [24, 72]"));
    }

    [Test]
    public void Forward_TokenIdOutsideVocabulary_Throws()
    {
        using var checkpoint = Gpt2Checkpoints.Create();
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        using var ids = torch.tensor(new long[] { 1, Gpt2Checkpoints.Vocab }).view(1, 2);
        var e = Assert.Throws<IclPruneException>(() => loaded.Model.Forward(new DecoderInput(ids)));
        Assert.That(e!.Message, Does.Contain($"token id {Gpt2Checkpoints.Vocab} is outside the vocabulary"));
    }

    [Test]
    public void Forward_LongerThanLearnedPositions_Throws()
    {
        using var checkpoint = Gpt2Checkpoints.Create();
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        using var ids = torch.zeros(1, Gpt2Checkpoints.Positions + 1, ScalarType.Int64);
        var e = Assert.Throws<IclPruneException>(() => loaded.Model.Forward(new DecoderInput(ids)));
        Assert.That(e!.Message, Does.Contain("exceeds the 40 learned positions"));
    }

    [Test]
    public void Fingerprint_SameFilesSameHash_ChangedWeightDifferentHash()
    {
        using var a = Gpt2Checkpoints.Create(seed: 5);
        using var b = Gpt2Checkpoints.Create(seed: 5);
        using var c = Gpt2Checkpoints.Create(seed: 6);
        string Fingerprint(string folder)
        {
            using var loaded = ModelLoader.Load(folder);
            return loaded.Fingerprint;
        }
        Assert.That(Fingerprint(a.Folder), Is.EqualTo(Fingerprint(b.Folder)).And.Length.EqualTo(64));
        Assert.That(Fingerprint(a.Folder), Is.Not.EqualTo(Fingerprint(c.Folder)));
    }
}
