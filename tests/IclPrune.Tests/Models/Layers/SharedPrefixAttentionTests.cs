using IclPrune.Models.Layers;
using IclPrune.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tests.Models.Layers;

/// <summary>
/// The log-sum-exp merge of prefix and own attention against plain softmax attention over [prefix | own] keys,
/// written out in float64 with K/V repeated per query head (HF repeat_kv) and the prefix copied per row.
/// Inputs are float32 N(0,1), so outputs are O(1); float32 scores, sums and merge stay within 2e-6 of float64.
/// </summary>
public sealed class SharedPrefixAttentionTests
{
    const double Tolerance = 2e-6;

    [OneTimeSetUp]
    public void SetUp() => TorchRuntime.EnsureInitialized();

    [TestCase(4, 4, "right")]  // multi-head
    [TestCase(4, 2, "right")]  // GQA, 2 query heads per KV head
    [TestCase(6, 1, "left")]   // multi-query
    [TestCase(4, 2, "left")]
    [TestCase(4, 2, "none")]
    public void Attend_BatchOverSharedPrefix_EqualsFloat64SoftmaxOverConcatenatedKeys(int heads, int kvHeads, string padding)
    {
        using var scope = NewDisposeScope();
        const long batch = 3, length = 5, prefix = 7, headDim = 8;
        var generator = new Generator(7);
        var query = randn([batch, heads, length, headDim], generator: generator);
        var prefixKey = randn([1, kvHeads, prefix, headDim], generator: generator);
        var prefixValue = randn([1, kvHeads, prefix, headDim], generator: generator);
        var key = randn([batch, kvHeads, length, headDim], generator: generator);
        var value = randn([batch, kvHeads, length, headDim], generator: generator);
        var real = RealTokens(batch, length, padding);                                         // [B,T] bool
        var causal = ones(length, length, ScalarType.Bool).tril();                             // [T,T]
        var self = eye(length, dtype: ScalarType.Bool);
        var ownMask = causal.view(1, 1, length, length).logical_and(real.view(batch, 1, 1, length))
            .logical_or(self.view(1, 1, length, length));                                      // [B,1,T,T]

        var actual = SharedPrefixAttention.Attend(query, prefixKey, prefixValue, key, value, ownMask);
        var expected = Reference(query, prefixKey, prefixValue, key, value, ownMask);

        Assert.That(actual.shape, Is.EqualTo(new[] { batch, heads, length, headDim }));
        // Padding queries' outputs are never read; compare the real ones only.
        var readable = real.view(batch, 1, length, 1).expand_as(actual);
        double diff = (actual.to(ScalarType.Float64) - expected).abs().masked_select(readable).max().item<double>();
        Assert.That(diff, Is.LessThan(Tolerance));
    }

    static Tensor RealTokens(long batch, long length, string padding)
    {
        var real = ones(batch, length, ScalarType.Bool);
        if (padding == "none") return real;
        for (int row = 0; row < batch; row++)
            for (int pad = 0; pad < row; pad++)   // row r has r padding tokens
                real[row, padding == "right" ? length - 1 - pad : pad] = false;
        return real;
    }

    static Tensor Reference(Tensor query, Tensor prefixKey, Tensor prefixValue, Tensor key, Tensor value, Tensor ownMask)
    {
        long batch = query.shape[0], heads = query.shape[1], length = query.shape[2], headDim = query.shape[3];
        long groups = heads / key.shape[1], prefix = prefixKey.shape[2];
        var q = query.to(ScalarType.Float64);
        var k = cat([prefixKey.expand(batch, -1, -1, -1), key], 2).to(ScalarType.Float64).repeat_interleave(groups, 1);
        var v = cat([prefixValue.expand(batch, -1, -1, -1), value], 2).to(ScalarType.Float64).repeat_interleave(groups, 1);
        var mask = cat([ones(batch, 1, length, prefix, ScalarType.Bool), ownMask], 3);        // [B,1,T,P+T]
        var scores = q.matmul(k.transpose(2, 3)) / Math.Sqrt(headDim);
        var probs = scores.masked_fill(mask.logical_not(), double.NegativeInfinity).softmax(-1);
        return probs.matmul(v);                                                                // [B,H,T,Dh] float64
    }
}
