using IclPrune.Models;

namespace IclPrune.Tool.Commands;

/// <summary>
/// The useful floating-point work of scoring queries after one shared prefix, from the config and token counts:
/// 2 FLOPs per multiply-add of every projection and MLP matrix for the prefix tokens once and every real query token,
/// attention scores and weighted values over the keys each token sees (causal; a query sees the prefix and its own
/// earlier tokens), and the label rows of the head at each query's last token. Padding, repeated prefixes and
/// full-vocabulary heads are not useful work and are not counted.
/// </summary>
internal sealed record EvalWorkload(ModelConfig Config, int PrefixTokens, IReadOnlyList<int> QueryLengths, int LabelRows)
{
    public long QueryTokens => QueryLengths.Sum(l => (long)l);

    public double UsefulFlops
    {
        get
        {
            var c = Config;
            double attentionWidth = (double)c.NumHeads * c.HeadDim, kvWidth = (double)c.NumKeyValueHeads * c.HeadDim;
            double projections = c.HiddenSize * (attentionWidth + 2 * kvWidth) + attentionWidth * c.HiddenSize;
            double mlpMatrices = ModelFamilies.Find(c.ModelType)?.GatedMlp == true ? 3 : 2;   // SwiGLU has gate, up, down
            double mlp = mlpMatrices * c.HiddenSize * c.IntermediateSize;
            double perToken = 2 * (projections + mlp) * c.NumLayers;
            double tokens = PrefixTokens + QueryTokens;
            // Keys seen: prefix token i sees i + 1; query token j (0-based) sees the prefix and j + 1 of its own.
            double keys = PrefixTokens * (PrefixTokens + 1) / 2.0
                + QueryLengths.Sum(l => (double)l * PrefixTokens + l * (l + 1) / 2.0);
            double attention = 2 * 2 * attentionWidth * keys * c.NumLayers;   // q.k and p.v per key per head channel
            double head = 2.0 * c.HiddenSize * LabelRows * QueryLengths.Count;
            return perToken * tokens + attention + head;
        }
    }
}
