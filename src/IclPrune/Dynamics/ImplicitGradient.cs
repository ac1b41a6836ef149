using static TorchSharp.torch;

namespace IclPrune.Dynamics;

/// <summary>One layer's attention projections as out x in matrices [D, D] (any float dtype; computed in float64).</summary>
public sealed record AttentionProjections(Tensor Query, Tensor Key, Tensor Value);

/// <summary>
/// Layer t's implicit update under the linear-attention reading of the paper's Theorem 1 (docs/icl-dynamics.md):
/// ||dW_t||_F, ||G_t||_F with G_t = dW_t (I + sum_{j&lt;t} G_j), and ||dW_t^h||_F for each head h.
/// </summary>
public sealed record LayerImplicitUpdate(int Layer, double DeltaWNorm, double AccumulatedNorm, IReadOnlyList<double> HeadDeltaWNorms);

/// <summary>
/// The implicit gradient of in-context learning (Yao et al. 2024, Theorem 1; Dai et al. 2023): with softmax replaced
/// by the identity (linear attention), the demonstration tokens' contribution to a query's attention output is
/// dW q with dW = sum_i (W_V h_i)(W_K h_i)^T W_Q, an update of the query's weights that the demonstrations "write".
/// Multi-head: per head h, dW^h = sum_i (W_V^h h_i)(W_K^h h_i)^T W_Q^h = W_V^h (sum_i h_i h_i^T) (W_K^h)^T W_Q^h
/// ([D/H, D]); the heads' blocks stacked give dW_t [D, D], the update of the concatenated head outputs (before the
/// output projection). Biases and the 1/sqrt(D/H) scale are left out, as in the theorem's reading. All in float64.
/// </summary>
public static class ImplicitGradient
{
    /// <param name="hidden">Per layer t: [N, D] hidden states of the N demonstration tokens as the layer's attention sees them (after its input norm).</param>
    /// <param name="projections">Per layer t: W_Q, W_K, W_V.</param>
    public static IReadOnlyList<LayerImplicitUpdate> Compute(IReadOnlyList<Tensor> hidden, IReadOnlyList<AttentionProjections> projections, int heads)
    {
        if (hidden.Count != projections.Count)
            throw new IclPruneException($"implicit gradient: {hidden.Count} layers of hidden states but {projections.Count} layers of weights.");
        using var scope = NewDisposeScope();
        var updates = new List<LayerImplicitUpdate>(hidden.Count);
        Tensor? accumulated = null; // sum_{j<t} G_j [D, D]
        for (int t = 0; t < hidden.Count; t++)
        {
            var h = hidden[t].to(ScalarType.Float64);                                 // [N, D]
            long d = h.shape[1];
            if (d % heads != 0) throw new IclPruneException($"implicit gradient: hidden size {d} is not divisible by {heads} heads.");
            long dh = d / heads;
            var gram = h.T.matmul(h);                                                 // [D, D] = sum_i h_i h_i^T
            var (wq, wk, wv) = (projections[t].Query.to(ScalarType.Float64), projections[t].Key.to(ScalarType.Float64),
                projections[t].Value.to(ScalarType.Float64));
            var blocks = new List<Tensor>(heads);
            var headNorms = new List<double>(heads);
            for (int head = 0; head < heads; head++)
            {
                var rows = TensorIndex.Slice(head * dh, (head + 1) * dh);
                var block = wv[rows].matmul(gram).matmul(wk[rows].T).matmul(wq[rows]); // [D/H, D]
                headNorms.Add(block.norm().item<double>());
                blocks.Add(block);
            }
            var deltaW = cat(blocks, 0);                                              // [D, D]
            var identity = eye(d, dtype: ScalarType.Float64);
            var g = deltaW.matmul(accumulated is null ? identity : identity + accumulated);
            accumulated = accumulated is null ? g : accumulated + g;
            updates.Add(new LayerImplicitUpdate(t, deltaW.norm().item<double>(), g.norm().item<double>(), headNorms));
        }
        return updates;
    }
}
