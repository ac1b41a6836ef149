using IclPrune.Pruning;

namespace IclPrune.Tests.Pruning;

public sealed class KeptRankTests
{
    [TestCase(1600, "0.42", 928)]   // the reference's float formula gives 927 (docs/method.md section 1)
    [TestCase(4096, "0.99", 40)]    // 40.96 -> 40
    [TestCase(4096, "0.995", 20)]   // 20.48 -> 20
    [TestCase(4096, "0.1", 3686)]
    [TestCase(4096, "0.5", 2048)]
    [TestCase(4096, "0.75", 1024)]
    [TestCase(4096, "0.9", 409)]
    [TestCase(4096, "0.95", 204)]
    [TestCase(4096, "0", 4096)]
    [TestCase(10, "0.995", 1)]      // floor gives 0: clamp to 1
    [TestCase(768, "0.3", 537)]     // 537.6
    public void For_PaperAndTrickyCases_MatchesExactFloor(int dim, string rate, int expected)
    {
        var amount = KeptRank.Parse(rate);
        Assert.That(amount.For(dim, dim * 3), Is.EqualTo(expected));
        Assert.That(amount.For(dim * 3, dim), Is.EqualTo(expected));
    }

    [Test]
    public void For_EveryDimAndThousandthRate_MatchesIntegerReference()
    {
        // Independent reference in integer arithmetic: floor(dim * (1000 - k) / 1000) for xi = k / 1000.
        for (int k = 0; k < 1000; k += 7)
        {
            var amount = KeptRank.FromRate(k / 1000m);
            for (int dim = 1; dim <= 4096; dim += 13)
            {
                long reference = Math.Max(1, (long)dim * (1000 - k) / 1000);
                Assert.That(amount.For(dim, 5000), Is.EqualTo(reference), $"dim {dim}, xi {k / 1000m}");
            }
        }
    }

    [Test]
    public void For_ExplicitRank_CappedAtFullRank()
    {
        Assert.That(KeptRank.Parse("rank=64").For(100, 32), Is.EqualTo(32));
        Assert.That(KeptRank.Parse("rank=8").For(100, 32), Is.EqualTo(8));
    }

    [TestCase("1")]
    [TestCase("1.5")]
    [TestCase("-0.1")]
    [TestCase("abc")]
    [TestCase("rank=0")]
    [TestCase("rank=x")]
    public void Parse_Invalid_ThrowsUsageException(string text)
    {
        var e = Assert.Throws<UsageException>(() => KeptRank.Parse(text));
        Assert.That(e!.Message, Does.Contain("[0, 1)").Or.Contain("at least 1").Or.Contain("rank=R"));
    }

    [Test]
    public void ToString_RoundTrips()
    {
        Assert.That(KeptRank.Parse("0.995").ToString(), Is.EqualTo("0.995"));
        Assert.That(KeptRank.Parse("rank=64").ToString(), Is.EqualTo("rank=64"));
    }
}
