namespace IclPrune.Tokenization;

/// <summary>
/// SentencePiece-style BPE as Llama 2 / Mistral tokenizer.json describe it: added tokens split out first, each other
/// piece normalized by Prepend("▁") + Replace(" ", "▁"), no pre-tokenizer, BPE over code points by merge rank,
/// characters outside the vocabulary as UTF-8 byte tokens &lt;0xXX&gt; (byte_fallback), else &lt;unk&gt;.
/// </summary>
public sealed class SentencePieceBpeTokenizer : BpeTokenizer
{
    /// <summary>"▁" (U+2581), SentencePiece's mark for a space.</summary>
    public const string SpaceMark = "\u2581";

    /// <param name="merges">"left right" pairs, highest priority first.</param>
    public SentencePieceBpeTokenizer(IReadOnlyDictionary<string, int> vocabulary, IEnumerable<string> merges,
        IReadOnlyDictionary<string, int> addedTokens, bool byteFallback, int? bosTokenId, int? eosTokenId, bool addBosToken)
        : base(new BpeModel(vocabulary, MergePairs.Parse(merges), vocabulary.ContainsKey("<unk>") ? "<unk>" : null,
                fuseUnknown: true, byteFallback),
            addedTokens.Select(t => new AddedToken(t.Key, t.Value)).ToList(),
            LlamaNormalizer, preTokenizer: null, BpeDecoding.SentencePiece, bosTokenId, eosTokenId, addBosToken)
    {
    }

    internal static Normalizer LlamaNormalizer => new Normalizer.Sequence([new Normalizer.Prepend(SpaceMark), new Normalizer.Replace(" ", SpaceMark)]);
}
