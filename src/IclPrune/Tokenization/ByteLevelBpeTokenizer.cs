namespace IclPrune.Tokenization;

/// <summary>
/// Byte-level BPE (GPT-2, GPT-J, NeoX/Pythia, Qwen2, Llama 3) from a vocabulary and merges: text split by the
/// pre-tokenizer regex on code points, each piece's UTF-8 bytes mapped to GPT-2's byte alphabet (space -> 'Ġ'), then
/// merged by rank. Special tokens in the text map to their ids.
/// </summary>
public sealed class ByteLevelBpeTokenizer : BpeTokenizer
{
    /// <summary>GPT-2's pre-tokenizer pattern (openai/gpt-2 encoder.py; HF ByteLevel pre-tokenizer with use_regex).</summary>
    public const string Gpt2Pattern = PreTokenizer.ByteLevel.Gpt2Pattern;

    /// <param name="merges">"left right" pairs, highest priority first.</param>
    /// <param name="pattern">GPT-2's pattern (HF ByteLevel with use_regex), or a Split regex isolated before a
    /// ByteLevel without regex (Llama 3, Qwen2).</param>
    public ByteLevelBpeTokenizer(IReadOnlyDictionary<string, int> vocabulary, IEnumerable<string> merges,
        IReadOnlyDictionary<string, int> specialTokens, string pattern, bool addPrefixSpace,
        int? bosTokenId, int? eosTokenId, bool addBosToken)
        : base(new BpeModel(vocabulary, MergePairs.Parse(merges)),
            specialTokens.Select(t => new AddedToken(t.Key, t.Value)).ToList(),
            normalizer: null,
            pattern == Gpt2Pattern
                ? new PreTokenizer.ByteLevel(addPrefixSpace, useRegex: true)
                : new PreTokenizer.Sequence([
                    new SplitPreTokenizer(new CodePointRegex(pattern), SplitBehavior.Isolated, invert: false),
                    new PreTokenizer.ByteLevel(addPrefixSpace, useRegex: false)]),
            BpeDecoding.ByteLevel, bosTokenId, eosTokenId, addBosToken)
    {
    }
}
