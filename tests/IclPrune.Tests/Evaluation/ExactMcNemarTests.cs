using IclPrune.Evaluation.Statistics;
using MathNet.Numerics.Distributions;

namespace IclPrune.Tests.Evaluation;

public sealed class ExactMcNemarTests
{
    [TestCase(0, 5, 0.0625)]          // 2 / 2^5: the CB case of PAPER.md section 4
    [TestCase(5, 0, 0.0625)]
    [TestCase(1, 6, 0.125)]           // 2 * (1 + 7) / 128
    [TestCase(0, 0, 1.0)]
    [TestCase(3, 3, 1.0)]             // symmetric: capped at 1
    [TestCase(2, 8, 0.109375)]        // 2 * (1 + 10 + 45) / 1024
    public void PValue_HandComputedCases(int b, int c, double expected) =>
        Assert.That(ExactMcNemar.PValue(b, c), Is.EqualTo(expected).Within(1e-12));

    [TestCase(40, 70)]
    [TestCase(400, 460)]
    [TestCase(3000, 3100)]
    public void PValue_LargeCounts_MatchesMathNetBinomialCdf(int b, int c)
    {
        // Independent reference: MathNet's binomial CDF (relative tolerance 1e-9).
        double reference = Math.Min(1, 2 * Binomial.CDF(0.5, b + c, Math.Min(b, c)));
        Assert.That(ExactMcNemar.PValue(b, c), Is.EqualTo(reference).Within(1e-9 * Math.Max(reference, 1e-300)).Or.EqualTo(reference).Within(1e-15));
    }

    [Test]
    public void Discordant_CountsBothDirections()
    {
        bool[] before = [true, true, false, false, true];
        bool[] after = [true, false, true, true, true];
        Assert.That(ExactMcNemar.Discordant(before, after), Is.EqualTo((1, 2)));
    }

    [Test]
    public void Discordant_DifferentLengths_Throws() =>
        Assert.Throws<ArgumentException>(() => ExactMcNemar.Discordant([true], [true, false]));
}
