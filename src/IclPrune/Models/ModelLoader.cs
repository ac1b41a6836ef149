using IclPrune.Checkpoints;
using IclPrune.Runtime;
using IclPrune.Tokenization;

namespace IclPrune.Models;

/// <summary>
/// Loads a Hugging Face checkpoint (a folder, or a hub id from the local cache) into a TorchSharp causal LM:
/// config.json -> family -> parameters allocated empty on the target device/dtype -> strict load tensor by tensor from
/// safetensors, or pytorch_model.bin when a folder has no safetensors (<see cref="CheckpointReader"/>) -> tokenizer -> fingerprint.
/// </summary>
public static class ModelLoader
{
    public static LoadedModel Load(string folderOrHubId, ModelLoadOptions? options = null)
    {
        options ??= new ModelLoadOptions();
        TorchRuntime.EnsureInitialized();
        string folder = HubCache.ResolveModelFolder(folderOrHubId);
        var config = ModelConfig.Load(folder);
        using var checkpoint = CheckpointReader.Open(folder);
        var model = Create(config, options);
        try
        {
            WeightLoader.Load(model, checkpoint, options);
            var tokenizer = TokenizerLoader.Exists(folder) ? TokenizerLoader.Load(folder, config.BosTokenId, config.EosTokenId) : null;
            string fingerprint = ModelFingerprint.Compute(config.RawJson, checkpoint);
            return new LoadedModel(model, tokenizer, config, folderOrHubId, folder, fingerprint, options,
                checkpoint.Format, checkpoint.FilePaths);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>An empty (uninitialized) model of the config's family; <see cref="Load"/> fills it. Refuses, before
    /// allocating, a model whose weights do not fit in memory (<see cref="ModelMemory"/>).</summary>
    public static DecoderModel Create(ModelConfig config, ModelLoadOptions options)
    {
        ModelMemory.EnsureFits(config, options);
        var family = ModelFamilies.Find(config.ModelType)
            ?? throw new IclPruneException($"model_type '{config.ModelType}' is not supported; supported: {ModelFamilies.SupportedList}.");
        return family.CreateModel(config, options);
    }
}
