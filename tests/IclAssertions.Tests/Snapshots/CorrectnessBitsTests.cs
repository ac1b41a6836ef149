using IclAssertions.Snapshots;

namespace IclAssertions.Tests.Snapshots;

public class CorrectnessBitsTests
{
    [Test]
    public void Encode_KnownPattern_IsHighBitFirstHex()
    {
        // items 1 0 1 1 | 0 0 0 1 | 1 -> b, 1, 8 (padding bits zero)
        var items = new[] { true, false, true, true, false, false, false, true, true };
        Assert.That(CorrectnessBits.Encode(items), Is.EqualTo("b18"));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(8000)]
    public void Decode_OfEncode_RoundTrips(int n)
    {
        var random = new Random(n);
        var items = Enumerable.Range(0, n).Select(_ => random.Next(2) == 1).ToArray();
        Assert.That(CorrectnessBits.Decode(CorrectnessBits.Encode(items), n, "test"), Is.EqualTo(items));
    }

    [Test]
    public void Decode_WrongLength_NamesFieldAndCounts()
    {
        var e = Assert.Throws<IclPrune.IclPruneException>(() => CorrectnessBits.Decode("ff", 9, "x.verified.json: perSeed[0].items"));
        Assert.That(e!.Message, Is.EqualTo("x.verified.json: perSeed[0].items: 2 hex characters do not hold 9 items (expected 3)."));
    }

    [Test]
    public void Decode_BadDigitOrPaddingBit_Throws()
    {
        Assert.Throws<IclPrune.IclPruneException>(() => CorrectnessBits.Decode("fg", 8, "f"));
        Assert.That(Assert.Throws<IclPrune.IclPruneException>(() => CorrectnessBits.Decode("f", 3, "f"))!.Message,
            Does.Contain("padding bit 3"));
    }
}
