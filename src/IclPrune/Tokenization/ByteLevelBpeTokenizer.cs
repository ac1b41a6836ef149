using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace IclPrune.Tokenization;

/// <summary>
/// Byte-level BPE (GPT-2, GPT-J, NeoX/Pythia, Qwen2, Llama 3) on Microsoft.ML.Tokenizers' BpeTokenizer with
/// ByteLevel = true: text is split by the model's pre-tokenizer regex, each piece turned into UTF-8 bytes mapped to
/// printable characters (space -> 'Ġ'), then merged by rank. Special (added) tokens in the text map to their ids.
/// </summary>
public sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    /// <summary>GPT-2's pre-tokenizer pattern (openai/gpt-2 encoder.py; HF ByteLevel pre-tokenizer with use_regex).</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    readonly BpeTokenizer _bpe;
    readonly bool _addPrefixSpace;

    public ByteLevelBpeTokenizer(IReadOnlyDictionary<string, int> vocabulary, IEnumerable<string> merges,
        IReadOnlyDictionary<string, int> specialTokens, string pattern, bool addPrefixSpace,
        int? bosTokenId, int? eosTokenId, bool addBosToken)
    {
        var all = new Dictionary<string, int>(vocabulary, StringComparer.Ordinal);
        foreach (var (token, id) in specialTokens)
            all[token] = id;
        var special = specialTokens.Count > 0 ? specialTokens : null;
        _bpe = BpeTokenizer.Create(new BpeOptions(all)
        {
            Merges = merges,
            ByteLevel = true,
            SpecialTokens = special,
            PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), special),
        });
        _addPrefixSpace = addPrefixSpace;
        VocabSize = all.Count == 0 ? 0 : all.Values.Max() + 1;
        BosTokenId = bosTokenId;
        EosTokenId = eosTokenId;
        AddBosToken = addBosToken;
    }

    public int VocabSize { get; }
    public int? BosTokenId { get; }
    public int? EosTokenId { get; }
    public bool AddBosToken { get; }

    public IReadOnlyList<int> Encode(string text)
    {
        if (text.Length == 0)
            return [];
        if (_addPrefixSpace && !text.StartsWith(' '))
            text = " " + text;
        return _bpe.EncodeToIds(text);
    }

    public string Decode(IReadOnlyList<int> ids) => _bpe.Decode(ids) ?? "";

    public string TokenText(int id) => _bpe.Decode([id]) ?? "";
}
