using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Models;

/// <summary>
/// Log-probability of each token given the ones before it: the building block of scoring (and of `logprobs`).
/// Result i is log p(ids[i+1] | ids[0..i]), so there are ids.Length - 1 values.
/// </summary>
public static class TokenLogProbs
{
    public static double[] Compute(ICausalLanguageModel model, IReadOnlyList<long> ids)
    {
        if (ids.Count < 2)
            throw new UsageException($"need at least 2 tokens to score (the first has no context); got {ids.Count}.");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var device = model.NamedParameters.Values.First().device;
        var input = torch.tensor(ids.ToArray(), device: device).view(1, ids.Count);
        var output = model.Forward(new DecoderInput(input));
        var logits = model.Logits(output.Hidden.narrow(1, 0, ids.Count - 1));     // [1,T-1,V] float32
        var logProbs = logits.log_softmax(-1);
        var next = input.narrow(1, 1, ids.Count - 1).unsqueeze(-1);              // [1,T-1,1]
        var picked = logProbs.gather(2, next).view(-1).to(ScalarType.Float64).cpu();
        return picked.data<double>().ToArray();
    }
}
