namespace IclAssertions.Tests.Support;

[SetUpFixture]
public sealed class TorchSetUp
{
    [OneTimeSetUp]
    public void Initialize() => IclPrune.Runtime.TorchRuntime.EnsureInitialized();
}
