using IclPrune.Search;

namespace IclPrune.Tests.Search;

public class SweepDynamicsSummaryTests
{
    [Test]
    public void RhoText_Value_ThreeDecimalsInvariant() => Assert.That(SweepDynamicsSummary.RhoText(-0.41234), Is.EqualTo("-0.412"));

    [Test]
    public void RhoText_NaNFromFewerThanThreeCells_SaysSo() =>
        Assert.That(SweepDynamicsSummary.RhoText(double.NaN), Is.EqualTo("n/a (fewer than 3 cells)"));
}
