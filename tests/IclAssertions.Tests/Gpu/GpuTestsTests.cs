using IclAssertions.Tests.Constraints;
using IclAssertions.Tests.Support;
using NUnit.Framework.Interfaces;
using TorchSharp;

namespace IclAssertions.Tests.Gpu;

public class GpuTestsTests
{
    [Test]
    public void RequireCuda_WhereverItRuns_SkipsWithReasonExactlyWhenCudaIsAbsent()
    {
        var outcome = NUnitRun.Single(typeof(GpuSample));
        if (torch.cuda.is_available())
        {
            Assert.That(outcome.ResultState.Status, Is.EqualTo(TestStatus.Passed));
        }
        else
        {
            Assert.That(outcome.ResultState, Is.EqualTo(ResultState.Ignored));
            Assert.That(outcome.Message, Does.StartWith("needs CUDA"));
        }
        Assert.That(outcome.Test.Properties["Category"], Does.Contain("Gpu"));
    }
}
