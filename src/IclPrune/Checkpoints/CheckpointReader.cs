namespace IclPrune.Checkpoints;

/// <summary>
/// Opens the weights of a checkpoint folder in the best format present: safetensors when there is any (no pickle,
/// and what Hugging Face now publishes first), else pytorch_model.bin through the restricted unpickler. The
/// reader's <see cref="ICheckpointReader.Format"/> says which was used.
/// </summary>
public static class CheckpointReader
{
    public static ICheckpointReader Open(string folder)
    {
        if (!Directory.Exists(folder))
            throw new IclPruneException($"checkpoint folder {folder} does not exist.");
        if (SafetensorsCheckpoint.Exists(folder))
            return SafetensorsCheckpoint.Open(folder);
        if (TorchBinCheckpoint.Exists(folder))
            return TorchBinCheckpoint.Open(folder);
        throw new IclPruneException($"{folder}: no weights found; looked for {SafetensorsCheckpoint.SingleFileName}, " +
                                    $"{SafetensorsCheckpoint.IndexFileName}, {TorchBinCheckpoint.SingleFileName} and {TorchBinCheckpoint.IndexFileName}.");
    }

    /// <summary>True when the folder has weights in a format <see cref="Open"/> reads.</summary>
    public static bool Exists(string folder) => SafetensorsCheckpoint.Exists(folder) || TorchBinCheckpoint.Exists(folder);
}
