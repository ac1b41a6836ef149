namespace IclPrune.Tokenization;

/// <summary>
/// Text to token ids and back, as the checkpoint's own tokenizer does it (tokenizer.json / vocab.json+merges.txt,
/// tokenizer_config.json). Encode never adds special tokens: callers add BOS where <see cref="AddBosToken"/> says so.
/// </summary>
public interface ITextTokenizer
{
    IReadOnlyList<int> Encode(string text);
    string Decode(IReadOnlyList<int> ids);
    /// <summary>The surface text of one token (for reports and `logprobs`).</summary>
    string TokenText(int id);
    int VocabSize { get; }
    int? BosTokenId { get; }
    int? EosTokenId { get; }
    /// <summary>Whether a sequence starts with BOS (tokenizer_config.json add_bos_token; Llama true, GPT-2 false).</summary>
    bool AddBosToken { get; }
}
