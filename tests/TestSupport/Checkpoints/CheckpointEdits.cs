using IclPrune.Checkpoints;
using TorchSharp;

namespace IclPrune.TestSupport.Checkpoints;

/// <summary>Changes to a written checkpoint folder, for tests of how the tools react to a damaged model.</summary>
public static class CheckpointEdits
{
    /// <summary>
    /// Rewrites model.safetensors in <paramref name="folder"/> with element 0 of the first tensor whose name ends with
    /// <paramref name="nameSuffix"/> set to NaN (a final-norm weight makes every log-prob NaN).
    /// </summary>
    public static void PutNaN(string folder, string nameSuffix)
    {
        string weights = Path.Combine(folder, "model.safetensors");
        var tensors = new List<KeyValuePair<string, torch.Tensor>>();
        using (var file = SafetensorsFile.Open(weights))
            foreach (string name in file.TensorNames)
                tensors.Add(new(name, file.Read(name)));
        tensors.First(t => t.Key.EndsWith(nameSuffix, StringComparison.Ordinal)).Value[0] = torch.tensor(float.NaN);
        SafetensorsWriter.Write(weights, tensors);
        foreach (var t in tensors) t.Value.Dispose();
    }
}
