using IclPrune.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Tests.Models;

/// <summary>Small conveniences for driving a loaded model in tests.</summary>
internal static class ModelRun
{
    /// <summary>Float64 logits [T,V] of one unpadded sequence.</summary>
    public static Tensor Logits(ICausalLanguageModel model, long[] ids)
    {
        using var input = torch.tensor(ids).view(1, ids.Length);
        using var output = model.Forward(new DecoderInput(input));
        using var logits = model.Logits(output.Hidden);
        return logits[0].to(ScalarType.Float64);
    }

    public static double MaxAbsDiff(Tensor a, Tensor b) => (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max().item<double>();
}
