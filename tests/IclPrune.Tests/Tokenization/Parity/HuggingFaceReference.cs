namespace IclPrune.Tests.Tokenization.Parity;

/// <summary>
/// Hugging Face's Rust tokenizers (0.22, through the Tokenizers.DotNet wrapper) loading a tokenizer.json: the
/// reference every parity test compares against. Its Encode always applies the post-processor, so it adds what the
/// file's template adds (Llama's BOS); ours never does, and the tests prepend that BOS themselves.
/// </summary>
public sealed class HuggingFaceReference : IDisposable
{
    readonly Tokenizers.DotNet.Tokenizer _tokenizer;

    public HuggingFaceReference(string tokenizerJsonPath) => _tokenizer = new Tokenizers.DotNet.Tokenizer(vocabPath: tokenizerJsonPath);

    public int[] Encode(string text) => _tokenizer.Encode(text).Select(id => (int)id).ToArray();

    public void Dispose() => _tokenizer.Dispose();
}
