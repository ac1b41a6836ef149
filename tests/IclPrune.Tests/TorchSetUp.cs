using IclPrune.Runtime;

namespace IclPrune.Tests;

/// <summary>Loads libtorch once for the whole test assembly (see common brief: EnsureInitialized before torch use).</summary>
[SetUpFixture]
public sealed class TorchSetUp
{
    [OneTimeSetUp]
    public void Initialize() => TorchRuntime.EnsureInitialized();
}
