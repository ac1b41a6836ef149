namespace IclPrune.Tokenization;

/// <summary>
/// The tokenizer.json pre-tokenizers this implementation honours exactly (tokenizers/src/pre_tokenizers): ByteLevel
/// (GPT-2's regex when use_regex, add_prefix_space, then bytes to <see cref="ByteLevelAlphabet"/>), Split (a String or
/// Regex pattern, every behavior, invert), and a Sequence of them. Each turns the pieces so far into finer pieces;
/// empty pieces are dropped, as HF's PreTokenizedString.split drops them.
/// </summary>
internal abstract class PreTokenizer
{
    public abstract List<string> Split(List<string> pieces);

    public sealed class Sequence(IReadOnlyList<PreTokenizer> steps) : PreTokenizer
    {
        public override List<string> Split(List<string> pieces)
        {
            foreach (var step in steps)
                pieces = step.Split(pieces);
            return pieces;
        }
    }

    public sealed class ByteLevel(bool addPrefixSpace, bool useRegex) : PreTokenizer
    {
        /// <summary>GPT-2's pattern (openai/gpt-2 encoder.py; HF ByteLevel with use_regex).</summary>
        public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

        static readonly CodePointRegex Gpt2Regex = new(Gpt2Pattern);

        public override List<string> Split(List<string> pieces)
        {
            var result = new List<string>(pieces.Count);
            foreach (var original in pieces)
            {
                string piece = addPrefixSpace && !original.StartsWith(' ') ? " " + original : original;
                if (!useRegex)
                {
                    result.Add(ByteLevelAlphabet.Encode(piece));
                    continue;
                }
                foreach (var (start, end) in SplitPreTokenizer.Isolated(Gpt2Regex, piece))
                    result.Add(ByteLevelAlphabet.Encode(piece[start..end]));
            }
            return result;
        }
    }
}
