using IclPrune.Evaluation.Prompts;
using IclPrune.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Evaluation.Scoring;

/// <summary>
/// Runs the model over one prefix group and returns scores[item][class]. With the cache: the prefix runs once
/// (batch 1) and every batch of queries continues that batch-1 cache as a shared prefix: its K/V are never copied per
/// row (Layers/SharedPrefixAttention). Queries are right-padded so that real tokens never attend to padding. Without: every row carries the full prefix. Both feed the same token ids at
/// the same positions, so they differ only by float rounding.
/// Shapes: R rows in a batch, T padded row length, P prefix length, D hidden, C classes, N answer tokens in a batch.
/// </summary>
internal sealed class GroupScorer(ICausalLanguageModel model, AnswerScoring scoring, long[]? labelIds, int batchSize, int? tokensPerBatch,
    bool useCache)
{
    readonly Device _device = torch.device(model.Description.Device);

    public long Tokens { get; private set; }

    /// <summary>Scores every item of the group; <paramref name="onItemsDone"/> is called after each batch with its item count.</summary>
    public Dictionary<int, double[]> Score(PrefixGroup group, Action<int> onItemsDone, CancellationToken cancellation)
    {
        var scores = new Dictionary<int, double[]>(group.Items.Count);
        using var groupScope = NewDisposeScope();
        using var noGrad = inference_mode();

        KeyValueCache? prefixCache = null;
        bool cached = useCache && group.Prefix.Length > 0;
        if (cached)
        {
            using var prefixIds = tensor(group.Prefix, dtype: ScalarType.Int64, device: _device).unsqueeze(0); // [1, P]
            var output = model.Forward(new DecoderInput(prefixIds, UseCache: true));
            prefixCache = output.Cache ?? throw new InvalidOperationException("the model returned no cache although UseCache was set");
            Tokens += group.Prefix.Length;
        }

        int classes = group.Items[0].Answers.Length;
        // A batch holds whole items: one row each (single token), or one row per class (answers scored token by token).
        bool single = scoring == AnswerScoring.SingleTokenLogit;
        int itemsPerBatch = single ? batchSize : Math.Max(1, batchSize / classes);
        int RowLength(TokenizedItem item) => (cached ? 0 : group.Prefix.Length) + item.Query.Length
            + (single ? 0 : item.Answers.Max(a => a.Length) - 1);
        // Similar lengths together waste less padding; results are keyed by item index, so order does not matter.
        var ordered = group.Items.OrderBy(i => i.Query.Length).ToList();
        foreach (var batch in QueryBatches.Plan(ordered, itemsPerBatch, tokensPerBatch, RowLength, single ? 1 : classes))
        {
            cancellation.ThrowIfCancellationRequested();
            using var batchScope = NewDisposeScope();
            var rowScores = scoring == AnswerScoring.SingleTokenLogit
                ? ScoreLastPosition(batch, group.Prefix, prefixCache, cached)
                : ScoreContinuations(batch, group.Prefix, prefixCache, cached, classes);
            foreach (var (index, values) in rowScores) scores[index] = values;
            onItemsDone(batch.Count);
        }
        return scores;
    }

    List<(int Index, double[] Scores)> ScoreLastPosition(List<TokenizedItem> batch, long[] prefix, KeyValueCache? cache, bool cached)
    {
        var rows = batch.Select(item => cached ? item.Query : [.. prefix, .. item.Query]).ToList();
        using var hidden = Run(rows, cache);                                   // [R, T, D]
        var last = rows.Select((r, i) => (long)i * hidden.shape[1] + r.Length - 1).ToArray();
        using var flat = hidden.flatten(0, 1);                                 // [R*T, D]
        using var index = tensor(last, dtype: ScalarType.Int64, device: _device);
        using var states = flat.index_select(0, index);                        // [R, D]
        using var logits = model.Logits(states, labelIds).to(ScalarType.Float64).cpu(); // [R, C]
        var values = logits.data<double>().ToArray();
        int classes = labelIds!.Length;
        return batch.Select((item, i) => (item.Index, values.AsSpan(i * classes, classes).ToArray())).ToList();
    }

    List<(int Index, double[] Scores)> ScoreContinuations(List<TokenizedItem> batch, long[] prefix, KeyValueCache? cache, bool cached, int classes)
    {
        // One row per (item, class): [prefix +] query + answer without its last token; answer token j is predicted at
        // position (row start of the answer) - 1 + j.
        var rows = new List<long[]>();
        var positions = new List<long>();
        var targets = new List<long>();
        var owner = new List<int>(); // row of each answer token
        foreach (var item in batch)
            foreach (var answer in item.Answers)
            {
                long[] head = cached ? item.Query : [.. prefix, .. item.Query];
                rows.Add([.. head, .. answer.AsSpan(0, answer.Length - 1)]);
                for (int j = 0; j < answer.Length; j++)
                {
                    positions.Add(head.Length - 1 + j);
                    targets.Add(answer[j]);
                    owner.Add(rows.Count - 1);
                }
            }
        using var hidden = Run(rows, cache);                                   // [R, T, D]
        long width = hidden.shape[1];
        var flatIndex = positions.Select((p, n) => owner[n] * width + p).ToArray();
        using var flat = hidden.flatten(0, 1);                                 // [R*T, D]
        using var index = tensor(flatIndex, dtype: ScalarType.Int64, device: _device);
        using var states = flat.index_select(0, index);                        // [N, D]
        using var logits = model.Logits(states);                               // [N, V] float32
        using var logProbs = logits.to(ScalarType.Float64).log_softmax(-1);    // float64: sums of many small terms
        using var target = tensor(targets.ToArray(), dtype: ScalarType.Int64, device: _device).unsqueeze(1);
        using var picked = logProbs.gather(1, target).squeeze(1).cpu();        // [N]
        var tokenLogProbs = picked.data<double>().ToArray();

        var sums = new double[rows.Count];
        var counts = new int[rows.Count];
        for (int n = 0; n < tokenLogProbs.Length; n++)
        {
            sums[owner[n]] += tokenLogProbs[n];
            counts[owner[n]]++;
        }
        return batch.Select((item, i) => (item.Index, Enumerable.Range(0, classes)
            .Select(c => scoring == AnswerScoring.MeanLogProb ? sums[i * classes + c] / counts[i * classes + c] : sums[i * classes + c])
            .ToArray())).ToList();
    }

    /// <summary>Right-pads the rows, runs the decoder (continuing the shared batch-1 prefix cache when given), returns hidden [R, T, D].</summary>
    Tensor Run(List<long[]> rows, KeyValueCache? cache)
    {
        int width = rows.Max(r => r.Length);
        var ids = new long[rows.Count * width];
        var mask = new long[rows.Count * width];
        for (int r = 0; r < rows.Count; r++)
        {
            rows[r].CopyTo(ids, r * width);
            Array.Fill(mask, 1L, r * width, rows[r].Length);
            Tokens += rows[r].Length;
        }
        var input = tensor(ids, [rows.Count, width], dtype: ScalarType.Int64, device: _device);
        var attention = tensor(mask, [rows.Count, width], dtype: ScalarType.Int64, device: _device);
        var output = model.Forward(new DecoderInput(input, attention, cache, UseCache: false));
        return output.Hidden;
    }
}
