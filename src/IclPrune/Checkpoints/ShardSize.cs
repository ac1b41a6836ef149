using System.Globalization;
using System.Text.RegularExpressions;

namespace IclPrune.Checkpoints;

/// <summary>
/// Shard size limits as Hugging Face writes them (save_pretrained's max_shard_size, "5GB"): decimal units KB, MB, GB,
/// TB (powers of 1000, as transformers' convert_file_size_to_int does), binary units KiB, MiB, GiB, TiB, or plain bytes.
/// </summary>
public static partial class ShardSize
{
    public const string Default = "5GB";

    public static long Parse(string text)
    {
        var match = SizePattern().Match(text.Trim());
        if (!match.Success)
            throw new UsageException($"shard size '{text}' is not a size; expected a number with an optional unit, e.g. 5GB, 500MB, 2GiB.");
        double number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        double unit = match.Groups[2].Value.ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "KB" => 1e3, "MB" => 1e6, "GB" => 1e9, "TB" => 1e12,
            "KIB" => 1L << 10, "MIB" => 1L << 20, "GIB" => 1L << 30, "TIB" => 1L << 40,
            var other => throw new UsageException($"shard size '{text}' has unknown unit '{other}'; use KB, MB, GB, TB, KiB, MiB, GiB or TiB."),
        };
        double bytes = number * unit;
        if (bytes < 1 || bytes > long.MaxValue / 2)
            throw new UsageException($"shard size '{text}' is {bytes:G3} bytes; expected at least 1 byte and at most petabytes.");
        return (long)bytes;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$")]
    private static partial Regex SizePattern();
}
