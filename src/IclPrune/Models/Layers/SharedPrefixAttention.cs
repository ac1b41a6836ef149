using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Models.Layers;

/// <summary>
/// Attention of a batch of queries that all continue one shared prefix, without copying the prefix's keys and values
/// per row: the decomposition of Hydragen (Juravsky et al. 2024, section 3) and FlashInfer's cascade attention.
/// softmax over [prefix | own] keys equals the two partial softmaxes weighted by their log-sum-exps:
/// out = out_p * exp(lse_p - lse) + out_o * exp(lse_o - lse), lse = log(exp(lse_p) + exp(lse_o)).
/// The prefix part is one matrix product per KV head with every query row of the batch (and every query head of
/// that KV group) folded together, [B*g*T, Dh] x [Dh, P], so the prefix KV are read once per batch, not B times.
/// Scores, log-sum-exps and the merge are in float32 whatever the model dtype (as HF eager attention's softmax).
/// Shapes: B batch, H query heads, Hkv key/value heads, g = H / Hkv, T new tokens, P prefix tokens, Dh head size.
/// </summary>
internal static class SharedPrefixAttention
{
    /// <param name="query">[B,H,T,Dh] (rotated where the family rotates)</param>
    /// <param name="prefixKey">[1,Hkv,P,Dh]: every prefix token is real and precedes every query token</param>
    /// <param name="prefixValue">[1,Hkv,P,Dh]</param>
    /// <param name="key">[B,Hkv,T,Dh] of the new tokens</param>
    /// <param name="value">[B,Hkv,T,Dh]</param>
    /// <param name="ownMask">[B,1,T,T] bool, true where a new token may attend to a new token; every row allows at least itself</param>
    /// <returns>[B,H,T,Dh] in the dtype of <paramref name="value"/></returns>
    public static Tensor Attend(Tensor query, Tensor prefixKey, Tensor prefixValue, Tensor key, Tensor value, Tensor ownMask)
    {
        long batch = query.shape[0], heads = query.shape[1], length = query.shape[2], headDim = query.shape[3];
        long kvHeads = key.shape[1], groups = heads / kvHeads, prefix = prefixKey.shape[2];
        // Query head h belongs to KV head h / g (HF repeat_kv), so [B,H,T,Dh] reads as [B,Hkv,g*T,Dh] with no copy of K/V.
        var scaled = query * (1.0 / Math.Sqrt(headDim));
        var grouped = scaled.reshape(batch, kvHeads, groups * length, headDim);                   // [B,Hkv,gT,Dh]

        // Prefix part: one product per KV head over all B*g*T query rows.
        var folded = grouped.permute(1, 0, 2, 3).reshape(kvHeads, batch * groups * length, headDim); // [Hkv,BgT,Dh]
        var prefixScores = folded.matmul(prefixKey[0].transpose(1, 2)).to(ScalarType.Float32);      // [Hkv,BgT,P]
        var prefixLse = prefixScores.logsumexp(-1, keepdim: true);                                  // [Hkv,BgT,1]
        var prefixProbs = (prefixScores - prefixLse).exp().to(prefixValue.dtype);
        var prefixOut = prefixProbs.matmul(prefixValue[0]).to(ScalarType.Float32);                  // [Hkv,BgT,Dh]
        prefixOut = prefixOut.view(kvHeads, batch, groups * length, headDim).permute(1, 0, 2, 3);   // [B,Hkv,gT,Dh]
        prefixLse = prefixLse.view(kvHeads, batch, groups * length, 1).permute(1, 0, 2, 3);        // [B,Hkv,gT,1]

        // Own part: each row's new tokens, causal and padding mask.
        var ownScores = grouped.matmul(key.transpose(2, 3)).to(ScalarType.Float32)                 // [B,Hkv,gT,T]
            .view(batch, kvHeads, groups, length, length)
            .masked_fill(ownMask.logical_not().view(batch, 1, 1, length, length), double.NegativeInfinity)
            .view(batch, kvHeads, groups * length, length);
        var ownLse = ownScores.logsumexp(-1, keepdim: true);                                        // [B,Hkv,gT,1]
        var ownProbs = (ownScores - ownLse).exp().to(value.dtype);
        var ownOut = ownProbs.matmul(value).to(ScalarType.Float32);                                 // [B,Hkv,gT,Dh]

        // Exact merge by log-sum-exp; both parts have at least one key, so every lse is finite.
        var total = prefixLse.logaddexp(ownLse);
        var merged = prefixOut * (prefixLse - total).exp() + ownOut * (ownLse - total).exp();    // [B,Hkv,gT,Dh]
        return merged.to(value.dtype).reshape(batch, heads, length, headDim);                       // [B,H,T,Dh]
    }
}
