using IclPrune.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Models;

/// <summary>
/// What every family shares around its layers: input validation (before any native call), positions and masks,
/// the layer loop with StartLayer / CaptureLayer, the cache, and the LM head. A family supplies its embedding,
/// layers, final norm, head weight and checkpoint key map (Models/Gpt2, Models/GptJ, Models/Llama, Models/GptNeoX).
/// </summary>
public abstract class DecoderModel : nn.Module, ICausalLanguageModel
{
    IReadOnlyDictionary<string, Parameter>? _namedParameters;
    ModelDescription? _description;

    protected DecoderModel(string name, ModelConfig config, ModelLoadOptions options) : base(name)
    {
        Config = config;
        Options = options;
    }

    public ModelConfig Config { get; }
    protected ModelLoadOptions Options { get; }
    public Device ModelDevice => Options.ResolvedDevice;

    /// <summary>Token embeddings [B,T,D] for ids [B,T] at positions [B,T] (GPT-2 adds learned positions).</summary>
    protected abstract Tensor Embed(Tensor ids, Tensor positions);

    /// <summary>One decoder layer: [B,T,D] to [B,T,D].</summary>
    private protected abstract Tensor RunLayer(int layer, Tensor hidden, DecoderContext context);

    protected abstract Tensor FinalNorm(Tensor hidden);

    /// <summary>Per-forward work shared by all layers (rotary angles).</summary>
    private protected virtual void Prepare(DecoderContext context) { }

    /// <summary>LM head weight [V,D] (the token embedding when tied).</summary>
    protected abstract Tensor HeadWeight { get; }

    protected virtual Tensor? HeadBias => null;

    /// <summary>
    /// Maps a checkpoint key to this model's parameter name, or null for keys that are known non-weights (causal-mask
    /// buffers, rotary inv_freq, a tied head saved anyway). Keys that map to no parameter are reported as unexpected.
    /// </summary>
    public abstract string? CanonicalKey(string checkpointKey);

    /// <summary>The matrices of layer <paramref name="layer"/> that pruning targets, by group (docs/method.md section 1).</summary>
    public IReadOnlyList<PrunableMatrix> PrunableMatrices(int layer)
    {
        if (layer < 0 || layer >= Config.NumLayers)
            throw new UsageException($"layer {layer} is outside [0, {Config.NumLayers}) for this {Config.NumLayers}-layer model.");
        return MatrixNames(layer);
    }

    private protected abstract IReadOnlyList<PrunableMatrix> MatrixNames(int layer);

    public ModelDescription Description => _description ??= new ModelDescription(
        Config.ModelType, Config.NumLayers, Config.HiddenSize, Config.NumHeads, Config.NumKeyValueHeads, Config.VocabSize,
        Config.MaxPositions, NamedParameters.Values.Sum(p => p.numel()), Options.DType, ModelDevice.ToString());

    public IReadOnlyDictionary<string, Parameter> NamedParameters =>
        _namedParameters ??= named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);

    public DecoderOutput Forward(DecoderInput input)
    {
        using var scope = torch.NewDisposeScope();
        var (batch, length) = Validate(input);
        var context = DecoderContext.Create(batch, length, input.AttentionMask, input.Past, input.UseCache, ModelDevice, Config.SlidingWindow,
            input.PrefixAttention);
        Prepare(context);

        // Inputs may come from the CPU while the model lives on CUDA: move them (a no-op when already there).
        var hidden = input.InputHidden is { } given ? given.to(ModelDevice) : Embed(input.InputIds!.to(ModelDevice), context.Positions);
        if (ReferenceEquals(hidden, input.InputHidden))
            hidden = hidden.alias(); // never hand the caller's own tensor to the layers' dispose scope bookkeeping
        Tensor? captured = null;
        for (int layer = input.StartLayer; layer < Config.NumLayers; layer++)
        {
            if (layer == input.CaptureLayer)
                captured = hidden.alias();
            hidden = RunLayer(layer, hidden, context);
        }
        if (input.CaptureLayer == Config.NumLayers)
            captured = hidden.alias();
        hidden = FinalNorm(hidden);

        KeyValueCache? cache = null;
        if (context.Present is { } present)
        {
            foreach (var (key, value) in present)
            {
                key.MoveToOuterDisposeScope();
                value.MoveToOuterDisposeScope();
            }
            cache = new KeyValueCache(present, context.FullMask.MoveToOuterDisposeScope());
        }
        return new DecoderOutput(hidden.MoveToOuterDisposeScope(), cache) { LayerInput = captured?.MoveToOuterDisposeScope() };
    }

    public Tensor Logits(Tensor hidden, long[]? vocabIds = null)
    {
        if (hidden.shape.Length == 0 || hidden.shape[^1] != Config.HiddenSize)
            throw new IclPruneException($"Logits: hidden has shape [{string.Join(", ", hidden.shape)}]; expected [..., {Config.HiddenSize}].");
        using var scope = torch.NewDisposeScope();
        var weight = HeadWeight;
        var bias = HeadBias;
        if (vocabIds is not null)
        {
            foreach (long id in vocabIds)
                if (id < 0 || id >= Config.VocabSize)
                    throw new IclPruneException($"Logits: vocabulary id {id} is outside [0, {Config.VocabSize}).");
            var rows = torch.tensor(vocabIds, device: weight.device);
            weight = weight.index_select(0, rows); // [K,D]: only the asked-for rows of the head
            bias = bias?.index_select(0, rows);
        }
        // In the model dtype like HF, then float32 for log-softmax and comparisons.
        var logits = nn.functional.linear(hidden.to(weight.dtype), weight, bias).to(ScalarType.Float32);
        return logits.MoveToOuterDisposeScope();
    }

    (long Batch, long Length) Validate(DecoderInput input)
    {
        if (input.StartLayer < 0 || input.StartLayer >= Config.NumLayers)
            throw new IclPruneException($"StartLayer {input.StartLayer} is outside [0, {Config.NumLayers}).");
        if (input.CaptureLayer is { } c && (c < input.StartLayer || c > Config.NumLayers))
            throw new IclPruneException($"CaptureLayer {c} is outside [StartLayer {input.StartLayer}, {Config.NumLayers}].");
        long batch, length;
        if (input.StartLayer > 0 || input.InputHidden is not null)
        {
            if (input.InputHidden is not { } h)
                throw new IclPruneException($"StartLayer {input.StartLayer} needs InputHidden, the hidden states entering that layer.");
            // UseCache here returns the cache of layers StartLayer.. only: the caller owns the layers before it
            // (the pruning engine's layer-input reuse keeps them from an earlier full run).
            if (h.shape.Length != 3 || h.shape[2] != Config.HiddenSize)
                throw new IclPruneException($"InputHidden has shape [{string.Join(", ", h.shape)}]; expected [B, T, {Config.HiddenSize}].");
            if (h.dtype != Options.DType)
                throw new IclPruneException($"InputHidden has dtype {h.dtype}; the model runs in {Options.DType}.");
            (batch, length) = (h.shape[0], h.shape[1]);
        }
        else
        {
            var ids = input.InputIds ?? throw new IclPruneException("DecoderInput needs InputIds (or InputHidden with StartLayer).");
            if (ids.shape.Length != 2 || ids.dtype != ScalarType.Int64)
                throw new IclPruneException($"InputIds must be int64 [B, T]; got {ids.dtype} [{string.Join(", ", ids.shape)}].");
            (batch, length) = (ids.shape[0], ids.shape[1]);
            if (ids.numel() > 0)
            {
                long min = ids.min().item<long>(), max = ids.max().item<long>();
                if (min < 0 || max >= Config.VocabSize)
                    throw new IclPruneException($"token id {(min < 0 ? min : max)} is outside the vocabulary [0, {Config.VocabSize}).");
            }
        }
        if (length == 0 || batch == 0)
            throw new IclPruneException($"empty input [{batch}, {length}]: at least one token is needed.");
        if (input.AttentionMask is { } mask && (mask.shape.Length != 2 || mask.shape[0] != batch || mask.shape[1] != length))
            throw new IclPruneException($"AttentionMask has shape [{string.Join(", ", mask.shape)}]; expected [{batch}, {length}].");
        if (input.Past is { } past)
            ValidatePast(past, batch);
        long total = length + (input.Past?.Length ?? 0);
        if (Config.Rope is null && total > Config.MaxPositions)
            throw new IclPruneException($"sequence of {total} tokens exceeds the {Config.MaxPositions} learned positions of this {Config.ModelType} model.");
        return (batch, length);
    }

    void ValidatePast(KeyValueCache past, long batch)
    {
        if (past.Layers.Count != Config.NumLayers)
            throw new IclPruneException($"KV cache has {past.Layers.Count} layers; the model has {Config.NumLayers}.");
        if (past.BatchSize != batch && past.BatchSize != 1)
            throw new IclPruneException($"KV cache has batch {past.BatchSize} but the input has {batch}; expected batch {batch}, or 1 for a prefix shared by every row.");
        foreach (var (key, value) in past.Layers)
        {
            long[] expected = [past.BatchSize, Config.NumKeyValueHeads, past.Length, Config.HeadDim];
            if (!key.shape.SequenceEqual(expected) || !value.shape.SequenceEqual(expected))
                throw new IclPruneException($"KV cache tensors have shape [{string.Join(", ", key.shape)}]; expected [{string.Join(", ", expected)}].");
            if (key.dtype != Options.DType || key.device_type != ModelDevice.type)
                throw new IclPruneException($"KV cache is {key.dtype} on {key.device}; the model runs in {Options.DType} on {ModelDevice}.");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            DisposeExtras();
        base.Dispose(disposing);
    }

    /// <summary>Frees what is not a registered parameter (rotary tables).</summary>
    protected virtual void DisposeExtras() { }
}
