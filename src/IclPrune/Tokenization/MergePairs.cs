namespace IclPrune.Tokenization;

/// <summary>Merges written as "left right" (merges.txt lines, older tokenizer.json files).</summary>
internal static class MergePairs
{
    /// <exception cref="TokenizerFormatException">An entry is not two tokens separated by one space.</exception>
    public static List<(string Left, string Right)> Parse(IEnumerable<string> merges, Func<int, string>? name = null)
    {
        var pairs = new List<(string, string)>();
        foreach (var merge in merges)
        {
            // HF splits on ' ' and requires exactly two parts (convert_merges_to_hashmap).
            string[] parts = merge.Split(' ');
            if (parts.Length != 2)
                throw new TokenizerFormatException(
                    $"{(name ?? (i => $"model.merges[{i}]"))(pairs.Count)} is '{merge}'; expected two tokens separated by one space.");
            pairs.Add((parts[0], parts[1]));
        }
        return pairs;
    }
}
