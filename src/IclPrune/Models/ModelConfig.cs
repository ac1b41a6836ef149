using System.Text.Json;

namespace IclPrune.Models;

/// <summary>
/// Rotary position embedding of a family: applied to the first <see cref="RotaryDim"/> channels of each head,
/// either as interleaved pairs (GPT-J's rotate_every_two: channels 2i, 2i+1) or as halves (NeoX/LLaMA rotate_half:
/// channels i, i + RotaryDim/2).
/// </summary>
public sealed record RopeConfig(int RotaryDim, double Theta, bool Interleaved, RopeScaling? Scaling = null);

/// <summary>config.json rope_scaling: "llama3" (Llama 3.1 frequency smoothing) or "linear" (positions / factor).</summary>
public sealed record RopeScaling(string Type, double Factor, double LowFreqFactor = 1, double HighFreqFactor = 4,
    int OriginalMaxPositions = 8192);

/// <summary>
/// One config.json, normalized across families (each family's file says how its field names map here).
/// Defaults follow the Hugging Face config classes, which equal the reference checkpoints.
/// </summary>
public sealed record ModelConfig(
    string ModelType,
    int VocabSize,
    int HiddenSize,
    int NumLayers,
    int NumHeads,
    int NumKeyValueHeads,
    int HeadDim,
    int IntermediateSize,
    int MaxPositions,
    double NormEpsilon,
    string Activation,
    bool TieWordEmbeddings,
    RopeConfig? Rope,
    bool AttentionBias,
    bool MlpBias,
    bool ParallelResidual,
    int? SlidingWindow,
    int? BosTokenId,
    int? EosTokenId)
{
    public const string FileName = "config.json";

    /// <summary>The config.json text as read (part of the model fingerprint).</summary>
    public string RawJson { get; init; } = "";

    public string SourcePath { get; init; } = "";

    /// <summary>Activations the families may name (hidden_act / activation_function).</summary>
    internal static readonly string[] SupportedActivations = ["gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu", "silu", "swish"];

    public static ModelConfig Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new IclPruneException($"{folder}: no {FileName} (a Hugging Face checkpoint folder has one).");
        return Parse(File.ReadAllText(path), path);
    }

    public static ModelConfig Parse(string json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new IclPruneException($"{path}: not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new IclPruneException($"{path}: expected a JSON object.");
            var config = new ConfigJson(path, document.RootElement);
            string modelType = config.OptionalString("model_type")
                ?? throw new IclPruneException($"{path}: field 'model_type' is missing; supported: {ModelFamilies.SupportedList}.");
            var family = ModelFamilies.Find(modelType) ?? throw new IclPruneException(
                $"{path}: model_type '{modelType}' is not supported; supported: {ModelFamilies.SupportedList}.");
            var parsed = family.ParseConfig(config, modelType);
            parsed.Validate(path);
            return parsed with { RawJson = json, SourcePath = path };
        }
    }

    internal static string CheckActivation(ConfigJson config, string field, string value)
    {
        if (!SupportedActivations.Contains(value))
            throw new IclPruneException($"{config.Path}: field '{field}' = \"{value}\" is not supported; supported: {string.Join(", ", SupportedActivations)}.");
        return value;
    }

    void Validate(string path)
    {
        // Families whose head size is hidden / heads check divisibility in their own parser, naming their field.
        if (NumKeyValueHeads <= 0 || NumHeads % NumKeyValueHeads != 0)
            throw new IclPruneException($"{path}: num_attention_heads {NumHeads} is not a multiple of num_key_value_heads {NumKeyValueHeads}.");
        if (Rope is { } rope && (rope.RotaryDim < 0 || rope.RotaryDim > HeadDim || rope.RotaryDim % 2 != 0))
            throw new IclPruneException($"{path}: rotary dimension {rope.RotaryDim} must be even and at most the head size {HeadDim}.");
        // Backstops for every family (each family's parser names its own field where it can): a size of 0 or below
        // makes an empty or negative-shaped tensor, a non-positive theta or scaling factor makes NaN angles.
        if (IntermediateSize <= 0)
            throw new IclPruneException($"{path}: MLP intermediate size {IntermediateSize} must be positive.");
        if (HeadDim <= 0)
            throw new IclPruneException($"{path}: head size {HeadDim} must be positive.");
        if (Rope is { } r && !(r.Theta > 0))
            throw new IclPruneException($"{path}: rope theta {r.Theta} must be positive.");
        if (Rope?.Scaling is { } s && (!(s.Factor > 0) || !(s.LowFreqFactor > 0) || !(s.HighFreqFactor > s.LowFreqFactor) || s.OriginalMaxPositions <= 0))
            throw new IclPruneException($"{path}: rope_scaling (factor {s.Factor}, low_freq_factor {s.LowFreqFactor}, high_freq_factor " +
                                        $"{s.HighFreqFactor}, original_max_position_embeddings {s.OriginalMaxPositions}) needs positive values and high > low.");
    }
}
