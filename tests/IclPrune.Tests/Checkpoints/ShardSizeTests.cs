using IclPrune.Checkpoints;

namespace IclPrune.Tests.Checkpoints;

public sealed class ShardSizeTests
{
    [TestCase("5GB", 5_000_000_000L)] // transformers counts GB in powers of 1000
    [TestCase("500MB", 500_000_000L)]
    [TestCase("2GiB", 2L << 30)]
    [TestCase("1.5KiB", 1536L)]
    [TestCase("10kb", 10_000L)]
    [TestCase("123", 123L)]
    [TestCase("200B", 200L)]
    public void Parse_KnownUnits_Bytes(string text, long bytes) => Assert.That(ShardSize.Parse(text), Is.EqualTo(bytes));

    [TestCase("")]
    [TestCase("GB")]
    [TestCase("5 parsecs")]
    [TestCase("-1GB")]
    [TestCase("0")]
    public void Parse_Invalid_ThrowsUsageNamingText(string text)
    {
        var e = Assert.Throws<UsageException>(() => ShardSize.Parse(text));
        Assert.That(e!.Message, Does.Contain($"'{text}'"));
    }
}
