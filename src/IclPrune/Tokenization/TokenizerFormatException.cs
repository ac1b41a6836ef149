namespace IclPrune.Tokenization;

/// <summary>
/// A tokenizer description that cannot be honoured exactly: a wrong JSON shape, an unknown token, an option this
/// implementation does not support. The message names the field ("model.merges[3]") and what was expected; the
/// loader that knows the file prefixes its path and rethrows it as an <see cref="IclPruneException"/>.
/// </summary>
internal sealed class TokenizerFormatException(string message) : Exception(message);
