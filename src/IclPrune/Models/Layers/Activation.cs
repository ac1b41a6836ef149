using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Models.Layers;

/// <summary>The MLP activations named by config.json (HF ACT2FN). gelu_new, gelu_pytorch_tanh and gelu_fast are
/// the tanh approximation (gelu_fast is a rearranged tanh formula: equal up to float rounding).</summary>
internal static class Activation
{
    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "gelu" => nn.functional.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        "relu" => nn.functional.relu(x),
        "silu" or "swish" => nn.functional.silu(x),
        _ => throw new IclPruneException($"activation '{name}' is not supported; supported: {string.Join(", ", ModelConfig.SupportedActivations)}."),
    };
}
