using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Models.Layers;

/// <summary>
/// The attention step every family shares once q, k, v are projected and rotated: a shared batch-1 prefix goes to
/// <see cref="SharedPrefixAttention"/> (no per-row copies); otherwise prepend the cached K/V, record the new cache, repeat K/V heads for grouped-query attention, and call scaled_dot_product_attention (softmax scale
/// 1/sqrt(head_dim), which is what all supported families use).
/// </summary>
internal static class CausalAttention
{
    /// <param name="query">[B,H,T,Dh]</param>
    /// <param name="key">[B,Hkv,T,Dh]</param>
    /// <param name="value">[B,Hkv,T,Dh]</param>
    /// <returns>[B,H,T,Dh]</returns>
    public static Tensor Attend(Tensor query, Tensor key, Tensor value, int layer, DecoderContext context)
    {
        if (context.SharedPrefix)
        {
            var (prefixKey, prefixValue) = context.Past!.Layers[layer];
            return SharedPrefixAttention.Attend(query, prefixKey, prefixValue, key, value, context.AttentionMask!);
        }
        if (context.Past is { } past)
        {
            var (pastKey, pastValue) = past.Layers[layer];
            if (pastKey.shape[0] != key.shape[0])
            {
                // A batch-1 prefix broadcast over the batch (padded prefix, sliding window, or a cache asked back).
                pastKey = pastKey.expand(key.shape[0], -1, -1, -1);
                pastValue = pastValue.expand(key.shape[0], -1, -1, -1);
            }
            key = torch.cat([pastKey, key], 2);     // [B,Hkv,P+T,Dh]
            value = torch.cat([pastValue, value], 2);
        }
        context.Present?.Add((key, value));
        long groups = query.shape[1] / key.shape[1];
        if (groups > 1)
        {
            // HF repeat_kv: query head h reads key/value head h / groups.
            key = key.repeat_interleave(groups, 1);
            value = value.repeat_interleave(groups, 1);
        }
        return context.AttentionMask is { } mask
            ? nn.functional.scaled_dot_product_attention(query, key, value, mask)
            : nn.functional.scaled_dot_product_attention(query, key, value, is_casual: true);
    }

    /// <summary>[B,T,H*Dh] to [B,H,T,Dh].</summary>
    public static Tensor SplitHeads(Tensor x, long heads, long headDim) =>
        x.view(x.shape[0], x.shape[1], heads, headDim).transpose(1, 2);

    /// <summary>[B,H,T,Dh] to [B,T,H*Dh].</summary>
    public static Tensor MergeHeads(Tensor x) =>
        x.transpose(1, 2).reshape(x.shape[0], x.shape[2], x.shape[1] * x.shape[3]);
}
