using IclPrune.Checkpoints;
using IclPrune.Tokenization;

namespace IclPrune.Models;

/// <summary>A checkpoint materialized by <see cref="ModelLoader"/>: the model, its tokenizer, config and identity.</summary>
public sealed class LoadedModel : IDisposable
{
    readonly ITextTokenizer? _tokenizer;

    internal LoadedModel(DecoderModel model, ITextTokenizer? tokenizer, ModelConfig config, string id, string folder,
        string fingerprint, ModelLoadOptions options, CheckpointFormat weightsFormat, IReadOnlyList<string> weightFiles)
    {
        WeightsFormat = weightsFormat;
        WeightFiles = weightFiles;
        Model = model;
        _tokenizer = tokenizer;
        Config = config;
        Id = id;
        Folder = folder;
        Fingerprint = fingerprint;
        Options = options;
    }

    public ICausalLanguageModel Model { get; }
    public ModelConfig Config { get; }

    /// <summary>What the user passed (folder or hub id).</summary>
    public string Id { get; }

    /// <summary>The resolved checkpoint folder.</summary>
    public string Folder { get; }

    /// <summary>SHA-256 (hex) of config.json and the weights; see <see cref="Checkpoints.ModelFingerprint"/>.</summary>
    public string Fingerprint { get; }

    public ModelLoadOptions Options { get; }

    /// <summary>Which weights were read: safetensors when the folder has them, else pytorch_model.bin (for `inspect`).</summary>
    public CheckpointFormat WeightsFormat { get; }

    /// <summary>Full paths of the weight files read (one file, or the shards of an index).</summary>
    public IReadOnlyList<string> WeightFiles { get; }

    public bool HasTokenizer => _tokenizer is not null;

    /// <summary>The checkpoint's tokenizer; a clear error when the folder has none (weights-only checkpoints load
    /// fine and can be driven with token ids).</summary>
    public ITextTokenizer Tokenizer => _tokenizer
        ?? throw new IclPruneException($"{Folder}: no tokenizer (tokenizer.json, or vocab.json and merges.txt); use token ids instead of text.");

    public void Dispose() => Model.Dispose();
}
