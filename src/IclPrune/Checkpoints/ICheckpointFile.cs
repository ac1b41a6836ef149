using static TorchSharp.torch;

namespace IclPrune.Checkpoints;

/// <summary>One weight file (a safetensors file or a torch.save zip): what a folder-level checkpoint reads through.</summary>
public interface ICheckpointFile : IDisposable
{
    string Path { get; }
    IEnumerable<string> TensorNames { get; }
    bool Holds(string name);
    CheckpointTensorInfo Describe(string name);
    Tensor Read(string name, ScalarType? dtype = null, Device? device = null);
}
