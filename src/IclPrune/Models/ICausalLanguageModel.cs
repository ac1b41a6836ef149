using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Models;

/// <summary>
/// A decoder-only causal LM loaded from a Hugging Face checkpoint: what the evaluator and the pruning engine need,
/// nothing more. Implemented once per family (Models/Gpt2, Models/GptJ, Models/Llama, Models/GptNeoX).
/// Shapes: B batch, T new tokens, P cached tokens, D hidden size, V vocabulary.
/// </summary>
public interface ICausalLanguageModel : IDisposable
{
    ModelDescription Description { get; }

    /// <summary>
    /// Runs the decoder over <see cref="DecoderInput.InputIds"/> [B,T] (int64), continuing <see cref="DecoderInput.Past"/>
    /// when given. Padding (mask 0) may sit on either side; positions count real tokens only. Returns the final-norm
    /// hidden states [B,T,D] in the model dtype, and the cache of past+T when <see cref="DecoderInput.UseCache"/>.
    /// </summary>
    DecoderOutput Forward(DecoderInput input);

    /// <summary>
    /// Language-model head: hidden [..., D] to float32 logits [..., V], or only the rows <paramref name="vocabIds"/>
    /// ([..., ids.Length]) so that scoring a few label words does not pay for the whole vocabulary.
    /// </summary>
    Tensor Logits(Tensor hidden, long[]? vocabIds = null);

    /// <summary>Every parameter, keyed by its Hugging Face state-dict name (pruning targets are named by these).</summary>
    IReadOnlyDictionary<string, TorchSharp.Modules.Parameter> NamedParameters { get; }
}

/// <summary>Input of one decoder call. AttentionMask [B,T]: 1 for a real token, 0 for padding (null: all real).</summary>
/// <remarks>
/// For the pruning engine's reuse of a shared prefix of layers: <see cref="StartLayer"/> &gt; 0 with
/// <see cref="InputHidden"/> [B,T,D] (the hidden states entering that layer, e.g. from an earlier
/// <see cref="CaptureLayer"/>) skips the embedding and the layers before it; InputIds may then be null.
/// With <see cref="UseCache"/> such a call returns a partial cache: Layers[i] is layer StartLayer + i (the caller
/// prepends the layers before StartLayer to continue from it). <see cref="Past"/>, when given, must cover every layer.
/// <see cref="CaptureLayer"/> returns the hidden states entering that layer (NumLayers: before the final norm)
/// in <see cref="DecoderOutput.LayerInput"/>.
/// </remarks>
public sealed record DecoderInput(Tensor? InputIds, Tensor? AttentionMask = null, KeyValueCache? Past = null, bool UseCache = false)
{
    public int StartLayer { get; init; }
    public Tensor? InputHidden { get; init; }
    public int? CaptureLayer { get; init; }

    /// <summary>How rows attend to a batch-1 <see cref="Past"/> they all continue (same result, different speed).</summary>
    public PrefixAttention PrefixAttention { get; init; }
}

/// <summary>Final-norm hidden states [B,T,D] and, when asked for, the cache covering past + these T tokens.</summary>
public sealed record DecoderOutput(Tensor Hidden, KeyValueCache? Cache) : IDisposable
{
    /// <summary>Hidden states [B,T,D] entering layer <see cref="DecoderInput.CaptureLayer"/>, when asked for.</summary>
    public Tensor? LayerInput { get; init; }

    public void Dispose()
    {
        Hidden.Dispose();
        Cache?.Dispose();
        LayerInput?.Dispose();
    }
}

/// <summary>What a loaded model is: family, sizes, dtype and device (for reports, fingerprints and validation).</summary>
public sealed record ModelDescription(
    string ModelType, int NumLayers, int HiddenSize, int NumHeads, int NumKeyValueHeads, int VocabSize,
    int MaxPositions, long ParameterCount, ScalarType DType, string Device);
