using IclPrune.Models;
using IclPrune.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tests.Models;

/// <summary>Cache, padding, head-subset and layer-range behaviour, for every family.</summary>
[TestFixtureSource(typeof(TinyModels), nameof(TinyModels.Families))]
public sealed class InferenceTests(string family)
{
    // Same float32 math in a different order (cache, padding masks, batching): 1e-5 on O(1) logits.
    const double Tolerance = 1e-5;
    TinyCheckpoint _checkpoint = null!;
    LoadedModel _loaded = null!;
    ICausalLanguageModel Model => _loaded.Model;

    [OneTimeSetUp]
    public void Load()
    {
        TorchRuntime.EnsureInitialized();
        _checkpoint = TinyModels.Create(family);
        _loaded = ModelLoader.Load(_checkpoint.Folder);
    }

    [OneTimeTearDown]
    public void Unload()
    {
        _loaded.Dispose();
        _checkpoint.Dispose();
    }

    static Tensor Ids(params long[] ids) => torch.tensor(ids).view(1, ids.Length);

    /// <summary>Rows padded to the longest, on the right or on the left: ids and mask [rows, width] (1 real, 0 pad).</summary>
    static PaddedBatch Padded(long[][] rows, bool leftPadding)
    {
        int width = rows.Max(r => r.Length);
        var ids = new long[rows.Length * width];
        var mask = new long[rows.Length * width];
        for (int r = 0; r < rows.Length; r++)
            for (int i = 0; i < rows[r].Length; i++)
            {
                int column = leftPadding ? width - rows[r].Length + i : i;
                ids[r * width + column] = rows[r][i];
                mask[r * width + column] = 1;
            }
        return new PaddedBatch(torch.tensor(ids).view(rows.Length, width), torch.tensor(mask).view(rows.Length, width), width);
    }

    sealed record PaddedBatch(Tensor Ids, Tensor Mask, int Width) : IDisposable
    {
        public void Dispose()
        {
            Ids.Dispose();
            Mask.Dispose();
        }
    }

    [Test]
    public void Forward_CachedPrefixExpandedOverBatch_EqualsFullForward()
    {
        long[] prefix = [5, 9, 2, 33, 7];
        long[][] continuations = [[4, 8, 15], [16, 23, 42]];
        using var prefixIds = Ids(prefix);
        using var prefixOut = Model.Forward(new DecoderInput(prefixIds, UseCache: true));
        Assert.That(prefixOut.Cache!.Length, Is.EqualTo(prefix.Length));
        using var shared = prefixOut.Cache.Expand(continuations.Length);
        using var batch = torch.tensor(continuations.SelectMany(c => c).ToArray()).view(continuations.Length, 3);
        using var continued = Model.Forward(new DecoderInput(batch, Past: shared));
        using var cachedLogits = Model.Logits(continued.Hidden);
        for (int i = 0; i < continuations.Length; i++)
        {
            using var full = ModelRun.Logits(Model, [.. prefix, .. continuations[i]]);
            using var tail = full.narrow(0, prefix.Length, 3);
            Assert.That(ModelRun.MaxAbsDiff(cachedLogits[i], tail), Is.LessThan(Tolerance), $"continuation {i}");
        }
    }

    [Test]
    public void Forward_CacheGrownTokenByToken_EqualsFullForward()
    {
        long[] ids = [1, 2, 3, 4, 5, 6];
        using var full = ModelRun.Logits(Model, ids);
        KeyValueCache? cache = null;
        for (int t = 0; t < ids.Length; t++)
        {
            using var step = Ids(ids[t]);
            // Not `using`: disposing the output would dispose the cache we keep for the next step.
            var output = Model.Forward(new DecoderInput(step, Past: cache, UseCache: true));
            using var logits = Model.Logits(output.Hidden);
            output.Hidden.Dispose();
            Assert.That(ModelRun.MaxAbsDiff(logits[0, 0], full[t]), Is.LessThan(Tolerance), $"token {t}");
            cache?.Dispose();
            cache = output.Cache;
        }
        cache?.Dispose();
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Forward_BatchWithPadding_EqualsOneByOne(bool leftPadding)
    {
        long[][] rows = [[7, 3, 9, 12, 30, 1], [8, 2], [40, 41, 42, 43]];
        using var padded = Padded(rows, leftPadding);
        var (idsTensor, maskTensor, width) = (padded.Ids, padded.Mask, padded.Width);
        using var output = Model.Forward(new DecoderInput(idsTensor, maskTensor));
        using var logits = Model.Logits(output.Hidden);
        Assert.That(logits.isnan().any().item<bool>(), Is.False, "padding rows stay finite");
        for (int r = 0; r < rows.Length; r++)
        {
            using var alone = ModelRun.Logits(Model, rows[r]);
            int offset = leftPadding ? width - rows[r].Length : 0;
            using var part = logits[r].narrow(0, offset, rows[r].Length);
            Assert.That(ModelRun.MaxAbsDiff(part, alone), Is.LessThan(Tolerance), $"row {r}");
        }
    }

    [Test]
    public void Forward_LeftPaddedPrefixCacheThenContinuation_EqualsUnpadded()
    {
        // A padded batch-2 prefix cached, then one more token per row: positions must skip the padding.
        using var prefix = torch.tensor(new long[] { 0, 0, 5, 6, 10, 11, 12, 13 }).view(2, 4);
        using var prefixMask = torch.tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1 }).view(2, 4);
        using var first = Model.Forward(new DecoderInput(prefix, prefixMask, UseCache: true));
        using var next = torch.tensor(new long[] { 7, 14 }).view(2, 1);
        using var second = Model.Forward(new DecoderInput(next, Past: first.Cache));
        using var logits = Model.Logits(second.Hidden);
        using var row0 = ModelRun.Logits(Model, [5, 6, 7]);
        using var row1 = ModelRun.Logits(Model, [10, 11, 12, 13, 14]);
        Assert.That(ModelRun.MaxAbsDiff(logits[0, 0], row0[2]), Is.LessThan(Tolerance));
        Assert.That(ModelRun.MaxAbsDiff(logits[1, 0], row1[4]), Is.LessThan(Tolerance));
    }

    [Test]
    public void Forward_CacheOfWrongBatch_ErrorNamesBothBatches()
    {
        using var prefix = torch.tensor(new long[] { 1, 2, 3, 4 }).view(2, 2);
        using var first = Model.Forward(new DecoderInput(prefix, UseCache: true));
        using var batch = torch.tensor(new long[] { 4, 5, 6 }).view(3, 1);
        var e = Assert.Throws<IclPruneException>(() => Model.Forward(new DecoderInput(batch, Past: first.Cache)));
        Assert.That(e!.Message, Does.Contain("batch 2").And.Contain("batch 3"));
    }

    /// <summary>
    /// The evaluator's call: a batch-1 prefix cache continued by a padded batch, attended either way
    /// (PrefixAttention.Merged: SharedPrefixAttention, no per-row copies; Broadcast: per-layer concatenation; mistral's
    /// 5-token window makes the merged case take the broadcast path too). Both must equal the full forward.
    /// </summary>
    [TestCase(false, PrefixAttention.Merged)]
    [TestCase(true, PrefixAttention.Merged)]
    [TestCase(false, PrefixAttention.Broadcast)]
    [TestCase(true, PrefixAttention.Broadcast)]
    public void Forward_SharedBatch1PrefixOverPaddedBatch_EqualsFullForward(bool leftPadding, PrefixAttention prefixAttention)
    {
        long[] prefix = [5, 9, 2, 33, 7];
        long[][] rows = [[4, 8, 15, 16], [23], [42, 3]];
        var (idsTensor, maskTensor, width) = Padded(rows, leftPadding);
        using var prefixIds = Ids(prefix);
        using var prefixOut = Model.Forward(new DecoderInput(prefixIds, UseCache: true));
        using var _ = idsTensor;
        using var __ = maskTensor;
        using var continued = Model.Forward(new DecoderInput(idsTensor, maskTensor, prefixOut.Cache) { PrefixAttention = prefixAttention });
        using var logits = Model.Logits(continued.Hidden);
        for (int r = 0; r < rows.Length; r++)
        {
            using var full = ModelRun.Logits(Model, [.. prefix, .. rows[r]]);
            using var tail = full.narrow(0, prefix.Length, rows[r].Length);
            using var part = logits[r].narrow(0, leftPadding ? width - rows[r].Length : 0, rows[r].Length);
            // Relative to the logits' scale: the tiny llama's reach 4.9, where a different float32 summation order
            // (prefix and own parts merged) moves them by up to 1.2e-5; a wrong mask or position moves them by >1e-2.
            double scale = Math.Max(1, tail.abs().max().item<double>());
            Assert.That(ModelRun.MaxAbsDiff(part, tail), Is.LessThan(Tolerance * scale), $"{family} row {r}");
        }
    }

    [Test]
    public void Logits_VocabSubset_EqualsThoseColumnsOfFullLogits()
    {
        long[] ids = [3, 1, 4, 1, 5];
        using var full = ModelRun.Logits(Model, ids);
        using var input = Ids(ids);
        using var output = Model.Forward(new DecoderInput(input));
        long[] subset = [0, 7, 2, Model.Description.VocabSize - 1];
        using var some = Model.Logits(output.Hidden, subset);
        Assert.That(some.shape, Is.EqualTo(new long[] { 1, ids.Length, subset.Length }));
        using var columns = full.index_select(1, torch.tensor(subset));
        Assert.That(ModelRun.MaxAbsDiff(some[0], columns), Is.LessThan(Tolerance));
        // Logits must not consume its input: the same hidden states can be scored again.
        using var again = Model.Logits(output.Hidden, subset);
        Assert.That(ModelRun.MaxAbsDiff(again, some), Is.EqualTo(0));
    }

    [Test]
    public void Forward_FromCapturedLayerInput_EqualsFullForward()
    {
        long[] ids = [9, 8, 7, 6, 5];
        using var input = Ids(ids);
        using var full = Model.Forward(new DecoderInput(input) { CaptureLayer = 1 });
        Assert.That(full.LayerInput!.shape, Is.EqualTo(new long[] { 1, ids.Length, Model.Description.HiddenSize }));
        using var resumed = Model.Forward(new DecoderInput(null) { StartLayer = 1, InputHidden = full.LayerInput });
        Assert.That(ModelRun.MaxAbsDiff(resumed.Hidden, full.Hidden), Is.EqualTo(0));
    }
}
