namespace IclPrune.Tests.Tokenization.Parity;

/// <summary>
/// Learns BPE merges the textbook way (Sennrich et al. 2016): count adjacent symbol pairs over the words, merge the
/// most frequent (ties by ordinal order, so runs repeat), repeat. Gives the parity tests realistic vocabularies with
/// merges over spaces, multi-byte characters and digits without shipping a real one.
/// </summary>
public static class TinyBpeTrainer
{
    /// <param name="words">Each word as its initial symbols.</param>
    public static List<(string Left, string Right)> Train(IEnumerable<string[]> words, int mergeCount)
    {
        var counts = new Dictionary<string, (List<string> Symbols, int Count)>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            string key = string.Join("\u0001", word);
            counts[key] = counts.TryGetValue(key, out var entry) ? (entry.Symbols, entry.Count + 1) : (word.ToList(), 1);
        }
        var merges = new List<(string, string)>();
        for (int m = 0; m < mergeCount; m++)
        {
            var pairs = new Dictionary<(string, string), int>();
            foreach (var (symbols, count) in counts.Values)
                for (int i = 0; i + 1 < symbols.Count; i++)
                    pairs[(symbols[i], symbols[i + 1])] = pairs.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
            if (pairs.Count == 0)
                break;
            var best = pairs.OrderByDescending(p => p.Value)
                .ThenBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2, StringComparer.Ordinal).First().Key;
            merges.Add(best);
            foreach (var (symbols, _) in counts.Values)
                for (int i = 0; i + 1 < symbols.Count; i++)
                    if (symbols[i] == best.Item1 && symbols[i + 1] == best.Item2)
                    {
                        symbols[i] += symbols[i + 1];
                        symbols.RemoveAt(i + 1);
                    }
        }
        return merges;
    }
}
