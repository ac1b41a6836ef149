namespace IclPrune.Runtime;

/// <summary>libtorch could not be found or loaded; the message says where we looked and why it failed.</summary>
public sealed class TorchUnavailableException : IclPruneException
{
    public TorchUnavailableException(string message) : base(message) { }
    public TorchUnavailableException(string message, Exception inner) : base(message, inner) { }
}
