using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Models.Layers;

/// <summary>
/// Parameters are allocated uninitialized, directly in the target dtype and device, and filled from the checkpoint:
/// no random init (slow for 7B) and no float32 copy. They do not require grad: inference and pruning need none,
/// and a trainer can switch it on per parameter.
/// </summary>
internal static class EmptyParameter
{
    public static Parameter Create(ModelLoadOptions options, params long[] shape) =>
        new(torch.empty(shape, options.DType, options.ResolvedDevice), requires_grad: false);
}
