using IclPrune.Runtime;

namespace IclPrune.Tests.Search;

[SetUpFixture]
public sealed class SearchSetUp
{
    [OneTimeSetUp]
    public void InitTorch() => TorchRuntime.EnsureInitialized();
}
