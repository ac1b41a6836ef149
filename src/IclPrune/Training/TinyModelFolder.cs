using System.Text.Json;
using System.Text.Json.Nodes;
using IclPrune.Output;
using IclPrune.Synthetic;

namespace IclPrune.Training;

/// <summary>
/// Writes a trained tiny model as a Hugging Face GPT-2 folder: config.json, model.safetensors (keys
/// transformer.*, head tied to wte so no lm_head.weight, as save_pretrained writes GPT-2), tokenizer.json,
/// tokenizer_config.json, and training.json (recipe, world seed, accuracy history: how the weights were made).
/// </summary>
public static class TinyModelFolder
{
    public static void Write(string folder, TinyTrainingResult result, TinyTrainingOptions options, SyntheticWorld world,
        ByteLevelBpeVocabulary vocabulary)
    {
        WriteWeights(folder, result.Config, result.BestWeights, vocabulary);
        WriteTrainingLog(folder, result, options, world);
    }

    /// <summary>config.json, model.safetensors and the tokenizer files: a loadable model (also used mid-training).</summary>
    public static void WriteWeights(string folder, TinyGpt2Config config, IReadOnlyDictionary<string, TorchSharp.torch.Tensor> weights,
        ByteLevelBpeVocabulary vocabulary)
    {
        AtomicFile.CreateFolder(folder);
        var indented = new JsonSerializerOptions { WriteIndented = true };
        AtomicFile.WriteAllText(Path.Combine(folder, "config.json"),
            config.ToHuggingFaceJson(vocabulary.EndOfTextId).ToJsonString(indented));
        // Sorted names: the same weights give a byte-identical file. Metadata "format: pt" as transformers writes it.
        Checkpoints.SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"),
            weights.OrderBy(kv => kv.Key, StringComparer.Ordinal),
            new Dictionary<string, string> { ["format"] = "pt" });
        TokenizerJsonWriter.Write(vocabulary, folder, config.NPositions);
    }

    static void WriteTrainingLog(string folder, TinyTrainingResult result, TinyTrainingOptions options, SyntheticWorld world)
    {
        var indented = new JsonSerializerOptions { WriteIndented = true };
        var training = new JsonObject
        {
            ["world"] = new JsonObject
            {
                ["seed"] = world.Seed, ["categories"] = world.CategoryCount, ["items_per_category"] = world.ItemsPerCategory,
                ["label_pool"] = world.LabelWords.Count,
            },
            ["options"] = JsonSerializer.SerializeToNode(options),
            ["seconds"] = Math.Round(result.Seconds, 1),
            ["best_step"] = result.Best.Step,
            ["history"] = new JsonArray([.. result.History.Select(h => (JsonNode)new JsonObject
            {
                ["step"] = h.Step, ["loss"] = Math.Round(h.Loss, 4), ["in_context_loss"] = Math.Round(h.InContextLoss, 4), ["seconds"] = Math.Round(h.Seconds, 1),
                ["accuracy"] = new JsonObject([.. h.Accuracy.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Math.Round(kv.Value, 4)))]),
            })]),
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "training.json"), training.ToJsonString(indented));
    }
}
