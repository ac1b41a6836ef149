using IclPrune.Reports;

namespace IclPrune.Tests.Reports;

public class DemoFindingsTests
{
    // Reference: Holm (1979) step-down, worked by hand: sorted 0.01, 0.02, 0.03, 0.5 times 4, 3, 2, 1 = 0.04, 0.06,
    // 0.06 (monotone max), 0.5; returned in the input order. Tolerance 1e-12.
    [Test]
    public void HolmAdjusted_FourPValues_StepDownInInputOrder()
    {
        var adjusted = DemoFindings.HolmAdjusted([0.03, 0.5, 0.01, 0.02]);

        Assert.That(adjusted, Is.EqualTo(new[] { 0.06, 0.5, 0.04, 0.06 }).Within(1e-12));
    }

    [Test]
    public void HolmAdjusted_LargeP_CappedAtOne()
    {
        Assert.That(DemoFindings.HolmAdjusted([0.4, 0.9]), Is.EqualTo(new[] { 0.8, 0.9 }).Within(1e-12));
    }
}
