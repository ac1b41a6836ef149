using System.Collections.Concurrent;
using System.Text;

namespace IclPrune.Tokenization;

/// <summary>
/// Hugging Face's BPE model (tokenizers/src/models/bpe/model.rs) for one pre-tokenized word: each code point is a
/// vocabulary entry, else its UTF-8 bytes as &lt;0xXX&gt; tokens (byte_fallback), else the unknown token (consecutive
/// ones fused with fuse_unk), else dropped as HF drops it; then merges by rank (<see cref="BpeMerger"/>). With
/// ignore_merges (Llama 3) a word that is itself in the vocabulary is emitted whole.
/// </summary>
internal sealed class BpeModel
{
    const int MaxCachedWordLength = 256; // HF caches words shorter than this too (MAX_LENGTH)
    const int CacheCapacity = 100_000;

    readonly Dictionary<string, int> _vocabulary;
    readonly Dictionary<long, (int Rank, int NewId)> _merges = new(BpeMerger.PairComparer.Instance);
    readonly int? _unknownId;
    readonly bool _fuseUnknown;
    readonly bool _byteFallback;
    readonly bool _ignoreMerges;
    readonly int[] _byteIds = new int[256]; // byte -> id of <0xXX>, -1 when absent
    readonly Dictionary<int, int> _codePointIds = new(); // vocabulary entries that are one code point, by its value
    readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal); // Encode may run on several threads

    /// <param name="merges">Pairs in priority order; a pair listed twice keeps its last rank, as HF's map does.</param>
    /// <exception cref="TokenizerFormatException">A merge or the unknown token names a token outside the vocabulary.</exception>
    public BpeModel(IReadOnlyDictionary<string, int> vocabulary, IReadOnlyList<(string Left, string Right)> merges,
        string? unknownToken = null, bool fuseUnknown = false, bool byteFallback = false, bool ignoreMerges = false,
        Func<int, string>? mergeName = null)
    {
        mergeName ??= rank => $"model.merges[{rank}]";
        _vocabulary = new Dictionary<string, int>(vocabulary, StringComparer.Ordinal);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            int leftId = IdOf(left), rightId = IdOf(right), newId = IdOf(left + right);
            _merges[BpeMerger.Key(leftId, rightId)] = (rank, newId);

            int IdOf(string token) =>
                _vocabulary.TryGetValue(token, out int id)
                    ? id
                    : throw new TokenizerFormatException($"{mergeName(rank)} ('{left} {right}') needs '{token}', which is not in the vocabulary.");
        }
        if (unknownToken is not null)
            _unknownId = _vocabulary.TryGetValue(unknownToken, out int unk)
                ? unk
                : throw new TokenizerFormatException($"model.unk_token '{unknownToken}' is not in model.vocab.");
        _fuseUnknown = fuseUnknown;
        _byteFallback = byteFallback;
        _ignoreMerges = ignoreMerges;
        for (int b = 0; b < 256; b++)
            _byteIds[b] = _vocabulary.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1;
        foreach (var (token, id) in _vocabulary)
            if (Rune.TryGetRuneAt(token, 0, out var rune) && rune.Utf16SequenceLength == token.Length)
                _codePointIds[rune.Value] = id;
    }

    public IReadOnlyDictionary<string, int> Vocabulary => _vocabulary;

    /// <summary>Appends the ids of one pre-tokenized word.</summary>
    public void Tokenize(string word, List<int> ids)
    {
        if (word.Length == 0)
            return;
        if (_ignoreMerges && _vocabulary.TryGetValue(word, out int whole))
        {
            ids.Add(whole);
            return;
        }
        if (word.Length >= MaxCachedWordLength)
        {
            ids.AddRange(Merge(word));
            return;
        }
        if (!_cache.TryGetValue(word, out var cached))
        {
            cached = Merge(word);
            if (_cache.Count >= CacheCapacity)
                _cache.Clear();
            _cache[word] = cached;
        }
        ids.AddRange(cached);
    }

    int[] Merge(string word)
    {
        var symbols = new List<int>(word.Length);
        int? pendingUnknown = null;
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in word.EnumerateRunes())
        {
            if (_codePointIds.TryGetValue(rune.Value, out int id))
            {
                FlushUnknown();
                symbols.Add(id);
                continue;
            }
            int length = rune.EncodeToUtf8(utf8);
            if (_byteFallback && AllBytesKnown(utf8[..length]))
            {
                // HF adds the byte tokens without flushing a pending unknown token first, so they precede it.
                foreach (byte b in utf8[..length])
                    symbols.Add(_byteIds[b]);
                continue;
            }
            if (_unknownId is { } unk)
            {
                if (!(pendingUnknown is not null && _fuseUnknown))
                    FlushUnknown();
                pendingUnknown = unk;
            }
        }
        FlushUnknown();
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(symbols);
        return span[..BpeMerger.MergeAll(span, _merges)].ToArray();

        void FlushUnknown()
        {
            if (pendingUnknown is { } u)
                symbols.Add(u);
            pendingUnknown = null;
        }
    }

    bool AllBytesKnown(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
            if (_byteIds[b] < 0)
                return false;
        return true;
    }
}
