using System.Collections.Concurrent;
using System.Text;

namespace IclPrune.Tokenization;

/// <summary>
/// SentencePiece-style BPE as Llama 2 / Mistral tokenizer.json describe it: normalizer Prepend("▁") + Replace(" ", "▁"),
/// no pre-tokenizer, BPE over Unicode characters by merge rank, characters outside the vocabulary as UTF-8 byte tokens
/// &lt;0xXX&gt; (byte_fallback), decoder ▁ -> space, bytes fused, one leading space stripped.
/// Hand-written: Microsoft.ML.Tokenizers 2.0.1 reads SentencePiece only from a tokenizer.model protobuf
/// (LlamaTokenizer.Create), not from tokenizer.json, and its BpeTokenizer has no byte fallback.
/// </summary>
public sealed class SentencePieceBpeTokenizer : ITextTokenizer
{
    const char Space = '\u2581'; // ▁

    readonly Dictionary<string, int> _vocabulary;
    readonly string[] _pieces;
    readonly Dictionary<(string, string), int> _ranks = new();
    readonly Dictionary<string, int> _added;
    readonly int[] _byteIds;       // byte value -> id of <0xXX>, -1 when absent
    readonly Dictionary<int, byte> _byteOfId = new();
    readonly bool _byteFallback;
    readonly int? _unknownId;
    // Merging over a whole prompt is quadratic in its length. When no merge result has ▁ after another character
    // (true of Llama/Mistral vocabularies: ▁ only starts pieces or repeats), no merge can cross a word start, so
    // words can be merged one at a time with the same result.
    readonly bool _splitAtWords;
    readonly ConcurrentDictionary<string, int[]> _wordCache = new(StringComparer.Ordinal); // Encode may run on several threads

    public SentencePieceBpeTokenizer(IReadOnlyDictionary<string, int> vocabulary, IEnumerable<string> merges,
        IReadOnlyDictionary<string, int> addedTokens, bool byteFallback, int? bosTokenId, int? eosTokenId, bool addBosToken)
        : this(vocabulary, merges, addedTokens, byteFallback, bosTokenId, eosTokenId, addBosToken, allowWordSplit: true) { }

    internal SentencePieceBpeTokenizer(IReadOnlyDictionary<string, int> vocabulary, IEnumerable<string> merges,
        IReadOnlyDictionary<string, int> addedTokens, bool byteFallback, int? bosTokenId, int? eosTokenId, bool addBosToken,
        bool allowWordSplit)
    {
        _vocabulary = new Dictionary<string, int>(vocabulary, StringComparer.Ordinal);
        _added = new Dictionary<string, int>(addedTokens, StringComparer.Ordinal);
        int size = Math.Max(vocabulary.Count == 0 ? 0 : vocabulary.Values.Max() + 1, addedTokens.Count == 0 ? 0 : addedTokens.Values.Max() + 1);
        _pieces = new string[size];
        foreach (var (piece, id) in vocabulary)
            _pieces[id] = piece;
        foreach (var (piece, id) in addedTokens)
            _pieces[id] = piece;
        int rank = 0;
        foreach (var merge in merges)
        {
            int split = merge.IndexOf(' ');
            if (split > 0)
                _ranks.TryAdd((merge[..split], merge[(split + 1)..]), rank++);
        }
        _byteIds = new int[256];
        for (int b = 0; b < 256; b++)
        {
            _byteIds[b] = vocabulary.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1;
            if (_byteIds[b] >= 0)
                _byteOfId[_byteIds[b]] = (byte)b;
        }
        _splitAtWords = allowWordSplit && !_ranks.Keys.Any(pair => JoinsAcrossWords(pair.Item1 + pair.Item2));
        _byteFallback = byteFallback;
        _unknownId = vocabulary.TryGetValue("<unk>", out int unk) ? unk : null;
        VocabSize = size;
        BosTokenId = bosTokenId;
        EosTokenId = eosTokenId;
        AddBosToken = addBosToken;
    }

    /// <summary>True when words are merged one at a time (see the field comment); for tests.</summary>
    internal bool SplitsAtWords => _splitAtWords;

    public int VocabSize { get; }
    public int? BosTokenId { get; }
    public int? EosTokenId { get; }
    public bool AddBosToken { get; }

    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();
        int start = 0;
        // Added tokens (e.g. "</s>") written in the text map to their ids, as HF does; the rest is BPE'd.
        while (start < text.Length)
        {
            var (at, token) = NextAddedToken(text, start);
            if (at > start)
                EncodeSegment(text[start..at], prependSpace: start == 0, ids);
            if (token is null)
                break;
            ids.Add(_added[token]);
            start = at + token.Length;
        }
        return ids;
    }

    (int At, string? Token) NextAddedToken(string text, int start)
    {
        int best = text.Length;
        string? bestToken = null;
        foreach (var token in _added.Keys)
        {
            int at = text.IndexOf(token, start, StringComparison.Ordinal);
            if (at >= 0 && (at < best || (at == best && token.Length > bestToken!.Length)))
                (best, bestToken) = (at, token);
        }
        return (best, bestToken);
    }

    void EncodeSegment(string segment, bool prependSpace, List<int> ids)
    {
        string normalized = (prependSpace ? Space.ToString() : "") + segment.Replace(' ', Space);
        if (!_splitAtWords)
        {
            ids.AddRange(EncodeChunk(normalized));
            return;
        }
        // Exact shortcut (see _splitAtWords): encode word by word, each word once (prompts repeat words a lot).
        int start = 0;
        for (int i = 1; i <= normalized.Length; i++)
        {
            if (i < normalized.Length && !(normalized[i] == Space && normalized[i - 1] != Space))
                continue;
            string word = normalized[start..i];
            if (!_wordCache.TryGetValue(word, out var wordIds))
            {
                if (_wordCache.Count > 100_000)
                    _wordCache.Clear();
                _wordCache[word] = wordIds = EncodeChunk(word);
            }
            ids.AddRange(wordIds);
            start = i;
        }
    }

    /// <summary>BPE over one stretch of normalized text: O(n^2) in its length, hence the word split above.</summary>
    int[] EncodeChunk(string normalized)
    {
        var ids = new List<int>();
        var symbols = new List<string>();
        // Symbols start as code points (a surrogate pair stays one symbol), as SentencePiece does.
        foreach (var rune in normalized.EnumerateRunes())
            symbols.Add(rune.ToString());

        // Merge the adjacent pair with the lowest rank, leftmost first, until no pair has a rank.
        while (symbols.Count > 1)
        {
            int bestRank = int.MaxValue, bestAt = -1;
            for (int i = 0; i + 1 < symbols.Count; i++)
                if (_ranks.TryGetValue((symbols[i], symbols[i + 1]), out int rank) && rank < bestRank)
                    (bestRank, bestAt) = (rank, i);
            if (bestAt < 0)
                break;
            symbols[bestAt] += symbols[bestAt + 1];
            symbols.RemoveAt(bestAt + 1);
        }

        foreach (var symbol in symbols)
        {
            if (_vocabulary.TryGetValue(symbol, out int id))
                ids.Add(id);
            else if (_byteFallback && Encoding.UTF8.GetBytes(symbol).All(b => _byteIds[b] >= 0))
                ids.AddRange(Encoding.UTF8.GetBytes(symbol).Select(b => _byteIds[b]));
            else if (_unknownId is { } unk)
                ids.Add(unk);
            else
                throw new IclPruneException($"tokenizer: '{symbol}' is not in the vocabulary and there is neither byte fallback nor <unk>.");
        }
        return ids.ToArray();
    }

    /// <summary>Whether a merge produces a piece with ▁ right after another character ("a▁"): only then can BPE
    /// join across a word start, and only then must the whole text be merged as one sequence.</summary>
    static bool JoinsAcrossWords(string piece)
    {
        for (int i = 1; i < piece.Length; i++)
            if (piece[i] == Space && piece[i - 1] != Space)
                return true;
        return false;
    }

    public string Decode(IReadOnlyList<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (_byteOfId.TryGetValue(id, out byte b))
                bytes.Add(b);
            else
                bytes.AddRange(Encoding.UTF8.GetBytes(Piece(id).Replace(Space, ' ')));
        }
        string text = Encoding.UTF8.GetString(bytes.ToArray());
        return text.StartsWith(' ') ? text[1..] : text;
    }

    public string TokenText(int id) =>
        _byteOfId.TryGetValue(id, out byte b) && b < 0x80 ? ((char)b).ToString() : Piece(id).Replace(Space, ' ');

    string Piece(int id) =>
        id >= 0 && id < _pieces.Length && _pieces[id] is { } piece
            ? piece
            : throw new IclPruneException($"token id {id} is outside the tokenizer vocabulary [0, {_pieces.Length}).");
}
