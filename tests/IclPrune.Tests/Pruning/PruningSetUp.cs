using IclPrune.Runtime;

namespace IclPrune.Tests.Pruning;

[SetUpFixture]
public sealed class PruningSetUp
{
    [OneTimeSetUp]
    public void InitTorch() => TorchRuntime.EnsureInitialized();
}
