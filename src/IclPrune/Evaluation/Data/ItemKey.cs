using System.Security.Cryptography;
using System.Text;

namespace IclPrune.Evaluation.Data;

/// <summary>
/// A stable name for a scored item: "SPLIT:ROW:HASH", where HASH is 12 hex digits of SHA-256 over the item's fields
/// (sorted by name) and gold class. Paired comparisons join two results on these keys, so that "the same item" means
/// the same text with the same label, not just the same position: a reordered or edited data file shows up as
/// different keys instead of silently pairing unrelated items.
/// </summary>
public static class ItemKey
{
    public static string Of(Example item)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in item.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
            text.Append(name).Append('\u001f').Append(value).Append('\u001e');
        text.Append("class\u001f").Append(item.Class);
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
        return $"{item.Split}:{item.Row}:{hash}";
    }

    /// <summary>What a reviewer reads to recognise the item: its field values, in field order, cut to 80 characters.</summary>
    public static string Preview(Example item)
    {
        string text = string.Join(" | ", item.Fields.Values).ReplaceLineEndings(" ");
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
