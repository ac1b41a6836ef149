namespace IclPrune.Tokenization;

/// <summary>
/// One entry of tokenizer.json's added_tokens, with Hugging Face's matching flags (AddedToken in
/// tokenizers/src/tokenizer/added_vocabulary.rs): single_word matches only between non-word characters, lstrip /
/// rstrip swallow the whitespace beside it, normalized matches it in normalized text instead of the raw text.
/// </summary>
public sealed record AddedToken(string Content, int Id, bool Special = true, bool SingleWord = false,
    bool LeftStrip = false, bool RightStrip = false, bool Normalized = false);
