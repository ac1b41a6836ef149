namespace IclPrune.Tokenization;

/// <summary>
/// The tokenizer.json pre-tokenizers this implementation honours exactly (tokenizers/src/pre_tokenizers): ByteLevel
/// (GPT-2's regex when use_regex, add_prefix_space, then bytes to <see cref="ByteLevelAlphabet"/>), Split (a String or
/// Regex pattern, every behavior, invert), Metaspace, and a Sequence of them. Each turns the pieces so far into finer
/// pieces; empty pieces are dropped, as HF's PreTokenizedString.split drops them.
/// </summary>
internal abstract class PreTokenizer
{
    /// <summary>A piece of text and whether it starts at offset 0 of the original input (Metaspace's "first").</summary>
    public readonly record struct Piece(string Text, bool AtStart);

    public abstract List<Piece> Split(List<Piece> pieces);

    public sealed class Sequence(IReadOnlyList<PreTokenizer> steps) : PreTokenizer
    {
        public override List<Piece> Split(List<Piece> pieces)
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

        public override List<Piece> Split(List<Piece> pieces)
        {
            var result = new List<Piece>(pieces.Count);
            foreach (var original in pieces)
            {
                string piece = addPrefixSpace && !original.Text.StartsWith(' ') ? " " + original.Text : original.Text;
                if (!useRegex)
                {
                    result.Add(new Piece(ByteLevelAlphabet.Encode(piece), original.AtStart));
                    continue;
                }
                foreach (var (start, end) in SplitPreTokenizer.Isolated(Gpt2Regex, piece))
                    result.Add(new Piece(ByteLevelAlphabet.Encode(piece[start..end]), original.AtStart && start == 0));
            }
            return result;
        }
    }

    /// <summary>When Metaspace prepends its replacement (HF PrependScheme).</summary>
    public enum PrependScheme { Always, First, Never }

    /// <summary>
    /// SentencePiece's space handling as a pre-tokenizer (HF pre_tokenizers/metaspace.rs): spaces become the replacement
    /// ("▁"), which is prepended to every piece (always), only to a piece at the start of the input (first: Llama 2
    /// and Mistral files converted without legacy), or never; with split, pieces are cut before each replacement.
    /// </summary>
    public sealed class Metaspace(char replacement, PrependScheme prependScheme, bool split) : PreTokenizer
    {
        readonly SplitPreTokenizer _splitter = SplitPreTokenizer.ForString(replacement.ToString(), SplitBehavior.MergedWithNext, invert: false);

        public override List<Piece> Split(List<Piece> pieces)
        {
            var replaced = new List<Piece>(pieces.Count);
            foreach (var piece in pieces)
            {
                string text = piece.Text.Replace(' ', replacement);
                bool prepend = prependScheme == PrependScheme.Always || (prependScheme == PrependScheme.First && piece.AtStart);
                replaced.Add(new Piece(prepend && !text.StartsWith(replacement) ? replacement + text : text, piece.AtStart));
            }
            return split ? _splitter.Split(replaced) : replaced;
        }
    }
}
