using System.Diagnostics;
using IclPrune.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tool.Commands;

internal enum EvalArm { SharedPrefix, BroadcastPrefix, ExpandedCopies, NoCache }

/// <summary>Seconds per phase of one run over every query.</summary>
internal sealed record PhaseTimes(double Prefix, double Query, double Head, double Scoring)
{
    public double Total => Prefix + Query + Head + Scoring;
}

/// <summary>
/// The evaluator's forward pattern (Evaluation/Scoring/GroupScorer, single-token labels) on fixed token ids, timed per
/// phase. Rows are already sorted by length; each batch is right-padded to its longest row.
/// Shapes: R rows in a batch, T padded length, P prefix length, D hidden, C label rows.
/// </summary>
internal sealed class EvalPatternRunner(ICausalLanguageModel model, long[] prefix, IReadOnlyList<long[]> rows, int batchSize, long[] labels, Device device)
{
    public PhaseTimes Median(EvalArm arm, int iterations, CancellationToken cancel)
    {
        Run(arm, cancel);   // warm-up: allocator and thread pools
        var runs = Enumerable.Range(0, iterations).Select(_ => Run(arm, cancel)).OrderBy(t => t.Total).ToList();
        return runs[runs.Count / 2];
    }

    PhaseTimes Run(EvalArm arm, CancellationToken cancel)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        double prefixSeconds = 0, querySeconds = 0, headSeconds = 0, scoringSeconds = 0;
        var watch = Stopwatch.StartNew();
        KeyValueCache? cache = null;
        if (arm != EvalArm.NoCache)
        {
            using var ids = tensor(prefix, dtype: ScalarType.Int64, device: device).unsqueeze(0);   // [1, P]
            cache = model.Forward(new DecoderInput(ids, UseCache: true)).Cache;
            prefixSeconds = Lap(watch);
        }
        for (int start = 0; start < rows.Count; start += batchSize)
        {
            cancel.ThrowIfCancellationRequested();
            using var batchScope = NewDisposeScope();
            var batch = rows.Skip(start).Take(batchSize).Select(r => arm == EvalArm.NoCache ? [.. prefix, .. r] : r).ToList();
            int width = batch.Max(r => r.Length);
            var ids = new long[batch.Count * width];
            var mask = new long[batch.Count * width];
            for (int r = 0; r < batch.Count; r++)
            {
                batch[r].CopyTo(ids, r * width);
                Array.Fill(mask, 1L, r * width, batch[r].Length);
            }
            var input = tensor(ids, [batch.Count, width], dtype: ScalarType.Int64, device: device);
            var attention = tensor(mask, [batch.Count, width], dtype: ScalarType.Int64, device: device);
            var past = arm == EvalArm.ExpandedCopies ? cache!.Expand(batch.Count) : cache;
            var mode = arm == EvalArm.SharedPrefix ? PrefixAttention.Merged : PrefixAttention.Broadcast;
            var hidden = model.Forward(new DecoderInput(input, attention, past) { PrefixAttention = mode }).Hidden;   // [R, T, D]
            querySeconds += Lap(watch);
            var last = tensor(batch.Select((r, i) => (long)i * width + r.Length - 1).ToArray(), dtype: ScalarType.Int64, device: device);
            var logits = model.Logits(hidden.flatten(0, 1).index_select(0, last), labels);              // [R, C]
            headSeconds += Lap(watch);
            var predictions = logits.argmax(1).cpu().data<long>().ToArray();
            _ = predictions.Length;
            scoringSeconds += Lap(watch);
        }
        return new PhaseTimes(prefixSeconds, querySeconds, headSeconds, scoringSeconds);

        double Lap(Stopwatch w)
        {
            if (device.type == DeviceType.CUDA) cuda.synchronize();
            double seconds = w.Elapsed.TotalSeconds;
            w.Restart();
            return seconds;
        }
    }
}
