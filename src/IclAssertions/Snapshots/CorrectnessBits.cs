namespace IclAssertions.Snapshots;

/// <summary>
/// Per-item correctness as a hex string, four items per character, item 0 in the high bit of the first character
/// ("1" = right). 8,000 items take 2,000 characters: small enough for a reviewable snapshot, exact enough for the
/// paired McNemar test, which needs to know which items changed, not just how many.
/// </summary>
public static class CorrectnessBits
{
    public static string Encode(IReadOnlyList<bool> items)
    {
        var chars = new char[(items.Count + 3) / 4];
        for (int c = 0; c < chars.Length; c++)
        {
            int nibble = 0;
            for (int bit = 0; bit < 4; bit++)
            {
                int i = c * 4 + bit;
                if (i < items.Count && items[i]) nibble |= 8 >> bit;
            }
            chars[c] = "0123456789abcdef"[nibble];
        }
        return new string(chars);
    }

    /// <param name="field">Where the string came from, for the error message (file and field).</param>
    public static bool[] Decode(string hex, int count, string field)
    {
        if (hex.Length != (count + 3) / 4)
            throw new IclPrune.IclPruneException(
                $"{field}: {hex.Length} hex characters do not hold {count} items (expected {(count + 3) / 4}).");
        var items = new bool[count];
        for (int c = 0; c < hex.Length; c++)
        {
            char h = char.ToLowerInvariant(hex[c]);
            int nibble = h switch
            {
                >= '0' and <= '9' => h - '0',
                >= 'a' and <= 'f' => h - 'a' + 10,
                _ => throw new IclPrune.IclPruneException($"{field}: '{hex[c]}' at position {c} is not a hex digit."),
            };
            for (int bit = 0; bit < 4; bit++)
            {
                int i = c * 4 + bit;
                bool set = (nibble & (8 >> bit)) != 0;
                if (i < count) items[i] = set;
                else if (set) throw new IclPrune.IclPruneException($"{field}: padding bit {i} is set beyond the {count} items.");
            }
        }
        return items;
    }
}
