using System.Text;

namespace IclPrune.Tokenization;

/// <summary>How ids turn back into text: byte-level (GPT-2 alphabet) or SentencePiece-style ("▁" and &lt;0xXX&gt;).</summary>
public enum BpeDecoding { ByteLevel, SentencePiece }

/// <summary>
/// A Hugging Face tokenizers pipeline with a BPE model, encoding exactly as the Rust library does with
/// add_special_tokens = false: added tokens split out first (<see cref="AddedVocabulary"/>), each other piece
/// normalized, pre-tokenized into words, and each word merged by the BPE model. tokenizer.json builds one
/// (<see cref="TokenizerJson"/>); <see cref="ByteLevelBpeTokenizer"/> and <see cref="SentencePieceBpeTokenizer"/> build
/// the two usual families from a vocabulary and merges.
/// </summary>
public class BpeTokenizer : ITextTokenizer
{
    const char Metaspace = '\u2581'; // ▁

    readonly AddedVocabulary _added;
    readonly Normalizer? _normalizer;
    readonly PreTokenizer? _preTokenizer;
    readonly BpeModel _model;
    readonly BpeDecoding _decoding;
    readonly string?[] _tokenOfId;
    readonly Dictionary<int, byte> _byteOfId = new(); // <0xXX> tokens, for SentencePiece decoding

    internal BpeTokenizer(BpeModel model, IReadOnlyList<AddedToken> addedTokens, Normalizer? normalizer,
        PreTokenizer? preTokenizer, BpeDecoding decoding, int? bosTokenId, int? eosTokenId, bool addBosToken)
    {
        _model = model;
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _added = new AddedVocabulary(addedTokens, normalizer);
        _decoding = decoding;
        int size = Math.Max(
            model.Vocabulary.Count == 0 ? 0 : model.Vocabulary.Values.Max() + 1,
            addedTokens.Count == 0 ? 0 : addedTokens.Max(t => t.Id) + 1);
        _tokenOfId = new string?[size];
        foreach (var (token, id) in model.Vocabulary)
            _tokenOfId[id] = token;
        foreach (var token in addedTokens)
            _tokenOfId[token.Id] = token.Content;
        for (int b = 0; b < 256; b++)
            if (model.Vocabulary.TryGetValue($"<0x{b:X2}>", out int id))
                _byteOfId[id] = (byte)b;
        VocabSize = size;
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
        var ids = new List<int>();
        foreach (var (piece, id, atStart) in _added.Split(text, _normalizer))
        {
            if (id is { } addedId)
            {
                ids.Add(addedId);
                continue;
            }
            if (_preTokenizer is null)
                _model.Tokenize(piece!, ids);
            else
                foreach (var word in _preTokenizer.Split([new PreTokenizer.Piece(piece!, atStart)]))
                    _model.Tokenize(word.Text, ids);
        }
        return ids;
    }

    public string Decode(IReadOnlyList<int> ids) =>
        _decoding == BpeDecoding.ByteLevel ? DecodeByteLevel(ids) : DecodeSentencePiece(ids);

    public string TokenText(int id) =>
        _decoding == BpeDecoding.ByteLevel ? DecodeByteLevel([id])
        : _byteOfId.TryGetValue(id, out byte b) && b < 0x80 ? ((char)b).ToString()
        : Token(id).Replace(Metaspace, ' ');

    /// <summary>HF's ByteLevel decoder: each token's alphabet chars back to bytes (an added token's own text as
    /// UTF-8), then the bytes as UTF-8 with U+FFFD for invalid sequences.</summary>
    string DecodeByteLevel(IReadOnlyList<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            string token = Token(id);
            bytes.AddRange(ByteLevelAlphabet.Decode(token) ?? Encoding.UTF8.GetBytes(token));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Llama's decoder: ▁ -> space, &lt;0xXX&gt; tokens fused into UTF-8, one leading space stripped.</summary>
    string DecodeSentencePiece(IReadOnlyList<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (_byteOfId.TryGetValue(id, out byte b))
                bytes.Add(b);
            else
                bytes.AddRange(Encoding.UTF8.GetBytes(Token(id).Replace(Metaspace, ' ')));
        }
        string text = Encoding.UTF8.GetString(bytes.ToArray());
        return text.StartsWith(' ') ? text[1..] : text;
    }

    string Token(int id) =>
        id >= 0 && id < _tokenOfId.Length && _tokenOfId[id] is { } token
            ? token
            : throw new IclPruneException($"token id {id} is outside the tokenizer vocabulary [0, {_tokenOfId.Length}).");
}
