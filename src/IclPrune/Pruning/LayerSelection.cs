using System.Globalization;

namespace IclPrune.Pruning;

/// <summary>
/// Which layers a spec touches, as written: "26", "0-3", "all", "-1" (the last layer), "-4--1", or a comma-free
/// mix separated by '+' is not supported on purpose (repeat the spec instead). Resolved against a layer count.
/// </summary>
public sealed record LayerSelection
{
    LayerSelection(string text, bool all, int first, int last)
    {
        Text = text;
        All = all;
        First = first;
        Last = last;
    }

    public string Text { get; }
    public bool All { get; }
    /// <summary>First layer as written (negative counts from the end).</summary>
    public int First { get; }
    /// <summary>Last layer as written, inclusive.</summary>
    public int Last { get; }

    public static LayerSelection Single(int layer) =>
        new(layer.ToString(CultureInfo.InvariantCulture), false, layer, layer);

    public static LayerSelection Parse(string text)
    {
        string t = text.Trim();
        if (t.Equals("all", StringComparison.OrdinalIgnoreCase)) return new LayerSelection("all", true, 0, 0);
        if (TryInt(t, out int single)) return new LayerSelection(t, false, single, single);
        // A range "a-b" where either end may be negative: split at a '-' that follows a digit.
        for (int i = 1; i < t.Length; i++)
        {
            if (t[i] != '-' || !char.IsDigit(t[i - 1])) continue;
            if (TryInt(t[..i], out int a) && TryInt(t[(i + 1)..], out int b)) return new LayerSelection(t, false, a, b);
        }
        throw new UsageException(
            $"layer '{text}' is invalid: expected an index (26), a range (0-3), 'all', or a negative index counting from the end (-1 is the last layer).");
    }

    /// <summary>The layer indices in [0, layerCount), ascending; out-of-range layers are a usage error.</summary>
    public IReadOnlyList<int> Resolve(int layerCount)
    {
        if (All) return Enumerable.Range(0, layerCount).ToList();
        int a = Absolute(First, layerCount), b = Absolute(Last, layerCount);
        if (a > b) throw new UsageException($"layer range '{Text}' is empty: {a} > {b} for a {layerCount}-layer model.");
        return Enumerable.Range(a, b - a + 1).ToList();
    }

    int Absolute(int layer, int layerCount)
    {
        int absolute = layer < 0 ? layerCount + layer : layer;
        if (absolute < 0 || absolute >= layerCount)
            throw new UsageException(
                $"layer {layer} (in '{Text}') is out of range: this model has {layerCount} layers, valid are 0..{layerCount - 1} or -{layerCount}..-1.");
        return absolute;
    }

    static bool TryInt(string s, out int value) =>
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public override string ToString() => Text;
}
