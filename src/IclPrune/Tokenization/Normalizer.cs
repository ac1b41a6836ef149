using System.Text;

namespace IclPrune.Tokenization;

/// <summary>
/// The tokenizer.json normalizers this implementation honours exactly (tokenizers/src/normalizers): Prepend (adds its
/// text to a non-empty piece), Replace with a String pattern, NFC / NFD / NFKC / NFKD, and a Sequence of them.
/// Llama 2 and Mistral use Sequence[Prepend("▁"), Replace(" ", "▁")].
/// </summary>
internal abstract class Normalizer
{
    /// <summary>Normalizes one piece of text (added tokens already split out).</summary>
    public abstract string Normalize(string text);

    public sealed class Prepend(string prefix) : Normalizer
    {
        public override string Normalize(string text) => text.Length == 0 ? text : prefix + text;
    }

    public sealed class Replace(string pattern, string content) : Normalizer
    {
        // HF: an empty pattern matches nothing.
        public override string Normalize(string text) => pattern.Length == 0 ? text : text.Replace(pattern, content, StringComparison.Ordinal);
    }

    public sealed class Unicode(NormalizationForm form) : Normalizer
    {
        public override string Normalize(string text) => text.IsNormalized(form) ? text : text.Normalize(form);
    }

    public sealed class Sequence(IReadOnlyList<Normalizer> normalizers) : Normalizer
    {
        public override string Normalize(string text)
        {
            foreach (var normalizer in normalizers)
                text = normalizer.Normalize(text);
            return text;
        }
    }
}
