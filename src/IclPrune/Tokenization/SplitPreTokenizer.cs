using System.Text.RegularExpressions;

namespace IclPrune.Tokenization;

/// <summary>How a Split pre-tokenizer treats the matched delimiters (HF SplitDelimiterBehavior).</summary>
internal enum SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous }

/// <summary>
/// HF's Split pre-tokenizer (pre_tokenizers/split.rs with NormalizedString::split): the pattern's matches and the text
/// between them, combined by <see cref="SplitBehavior"/>; invert swaps which parts count as matches.
/// </summary>
internal sealed class SplitPreTokenizer(CodePointRegex regex, SplitBehavior behavior, bool invert) : PreTokenizer
{
    public static SplitPreTokenizer ForString(string pattern, SplitBehavior behavior, bool invert) =>
        new(new CodePointRegex(Regex.Escape(pattern)), behavior, invert);

    public override List<Piece> Split(List<Piece> pieces)
    {
        var result = new List<Piece>(pieces.Count);
        foreach (var piece in pieces)
            foreach (var (start, end) in Apply(Segments(regex, piece.Text, invert), behavior))
                if (end > start)
                    result.Add(new Piece(piece.Text[start..end], piece.AtStart && start == 0));
        return result;
    }

    /// <summary>The pieces GPT-2's ByteLevel makes: every match and every gap on its own.</summary>
    public static IEnumerable<(int Start, int End)> Isolated(CodePointRegex regex, string text) =>
        Segments(regex, text, invert: false).Select(s => (s.Start, s.End));

    /// <summary>HF Pattern::find_matches: the text cut into (segment, is it a match), covering all of it.</summary>
    static List<(int Start, int End, bool IsMatch)> Segments(CodePointRegex regex, string text, bool invert)
    {
        var segments = new List<(int, int, bool)>();
        int previous = 0;
        foreach (var (start, end) in regex.Matches(text))
        {
            if (start > previous)
                segments.Add((previous, start, invert));
            segments.Add((start, end, !invert));
            previous = end;
        }
        if (previous < text.Length)
            segments.Add((previous, text.Length, invert));
        return segments;
    }

    static List<(int Start, int End)> Apply(List<(int Start, int End, bool IsMatch)> segments, SplitBehavior behavior)
    {
        var result = new List<(int Start, int End)>(segments.Count);
        switch (behavior)
        {
            case SplitBehavior.Isolated:
                result.AddRange(segments.Select(s => (s.Start, s.End)));
                break;
            case SplitBehavior.Removed:
                result.AddRange(segments.Where(s => !s.IsMatch).Select(s => (s.Start, s.End)));
                break;
            case SplitBehavior.Contiguous:
            {
                bool previousMatch = false;
                foreach (var s in segments)
                {
                    if (s.IsMatch == previousMatch && result.Count > 0)
                        result[^1] = (result[^1].Start, s.End);
                    else
                        result.Add((s.Start, s.End));
                    previousMatch = s.IsMatch;
                }
                break;
            }
            case SplitBehavior.MergedWithPrevious:
            {
                bool previousMatch = false;
                foreach (var s in segments)
                {
                    if (s.IsMatch && !previousMatch && result.Count > 0)
                        result[^1] = (result[^1].Start, s.End);
                    else
                        result.Add((s.Start, s.End));
                    previousMatch = s.IsMatch;
                }
                break;
            }
            case SplitBehavior.MergedWithNext:
            {
                bool previousMatch = false;
                for (int i = segments.Count - 1; i >= 0; i--)
                {
                    var s = segments[i];
                    if (s.IsMatch && !previousMatch && result.Count > 0)
                        result[^1] = (s.Start, result[^1].End);
                    else
                        result.Add((s.Start, s.End));
                    previousMatch = s.IsMatch;
                }
                result.Reverse();
                break;
            }
        }
        return result;
    }
}
