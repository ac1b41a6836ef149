namespace IclAssertions.Tests;

/// <summary>Initialises torch once for every test in this namespace and below (the whole assembly).</summary>
[SetUpFixture]
public sealed class TorchSetUp
{
    [OneTimeSetUp]
    public void Initialize() => IclPrune.Runtime.TorchRuntime.EnsureInitialized();
}
