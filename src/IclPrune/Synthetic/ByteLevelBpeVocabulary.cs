using System.Text;
using System.Text.RegularExpressions;

namespace IclPrune.Synthetic;

/// <summary>
/// A GPT-2-style byte-level BPE vocabulary built for a known word list: the 256 byte symbols, then for every word
/// the chain of merges "Ġw" + "o", "Ġwo" + "r", ... so each word with its leading space is exactly one token.
/// Every merge has a Ġ-prefixed left side and a single byte on the right, and a pre-token holds at most one Ġ (at
/// its start), so only one merge can ever apply at a time: encoding cannot split a listed word differently.
/// Encode implements GPT-2's algorithm (regex pre-tokenization, byte-to-unicode map, lowest-rank merge first) so
/// training can produce ids without a tokenizer library; tests check it against the loader that reads tokenizer.json.
/// </summary>
public sealed partial class ByteLevelBpeVocabulary
{
    public const string EndOfText = "<|endoftext|>";

    // GPT-2's pre-tokenizer (openai/gpt-2 encoder.py), the pattern HF's ByteLevel pre-tokenizer uses.
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex PreTokenPattern();

    readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    readonly List<string> _tokens = [];
    readonly List<(string Left, string Right)> _merges = [];
    readonly Dictionary<(string, string), int> _mergeRank = [];

    /// <summary>Byte value to the printable character GPT-2 uses for it (bytes_to_unicode in encoder.py).</summary>
    public static IReadOnlyList<char> ByteToChar { get; } = BuildByteToChar();

    public IReadOnlyList<string> Tokens => _tokens;
    public IReadOnlyList<(string Left, string Right)> Merges => _merges;
    public int EndOfTextId { get; }
    public int Count => _tokens.Count;

    public ByteLevelBpeVocabulary(IEnumerable<string> words)
    {
        // Ids 0..255: the byte symbols in GPT-2's order (printable ranges first), as in its vocab.json.
        foreach (int b in ByteOrder()) Add(ByteToChar[b].ToString());
        foreach (string word in words)
        {
            string symbols = ToSymbols(" " + word);
            for (int end = 2; end <= symbols.Length; end++)
            {
                string merged = symbols[..end];
                if (_ids.ContainsKey(merged)) continue;
                var pair = (symbols[..(end - 1)], symbols[(end - 1)..end]);
                _mergeRank[pair] = _merges.Count;
                _merges.Add(pair);
                Add(merged);
            }
        }
        EndOfTextId = Add(EndOfText);
    }

    public int IdOf(string token) =>
        _ids.TryGetValue(token, out int id) ? id : throw new IclPruneException($"token '{token}' is not in the vocabulary.");

    /// <summary>The id of " word" (leading space), which must be a single token.</summary>
    public int WordId(string word) => IdOf(ToSymbols(" " + word));

    public int[] Encode(string text)
    {
        var ids = new List<int>();
        foreach (Match m in PreTokenPattern().Matches(text))
        {
            var parts = ToSymbols(m.Value).Select(c => c.ToString()).ToList();
            while (parts.Count > 1)
            {
                int best = -1, bestRank = int.MaxValue;
                for (int i = 0; i < parts.Count - 1; i++)
                    if (_mergeRank.TryGetValue((parts[i], parts[i + 1]), out int rank) && rank < bestRank)
                        (best, bestRank) = (i, rank);
                if (best < 0) break;
                parts[best] += parts[best + 1];
                parts.RemoveAt(best + 1);
            }
            ids.AddRange(parts.Select(IdOf));
        }
        return ids.ToArray();
    }

    public static string ToSymbols(string text) =>
        new(Encoding.UTF8.GetBytes(text).Select(b => ByteToChar[b]).ToArray());

    int Add(string token)
    {
        int id = _tokens.Count;
        _tokens.Add(token);
        _ids.Add(token, id);
        return id;
    }

    static IEnumerable<int> ByteOrder()
    {
        var printable = PrintableBytes().ToList();
        return printable.Concat(Enumerable.Range(0, 256).Where(b => !printable.Contains(b)));
    }

    static IEnumerable<int> PrintableBytes() =>
        Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1))
            .Concat(Enumerable.Range('®', 'ÿ' - '®' + 1));

    static char[] BuildByteToChar()
    {
        var map = new char[256];
        var printable = PrintableBytes().ToHashSet();
        int next = 0;
        for (int b = 0; b < 256; b++) map[b] = printable.Contains(b) ? (char)b : (char)(256 + next++);
        return map;
    }
}
