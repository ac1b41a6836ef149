namespace IclPrune.Tokenization;

/// <summary>
/// Finds added tokens in text before anything else runs, as Hugging Face's AddedVocabulary.extract_and_normalize does:
/// tokens with normalized = false are split out of the raw text, each remaining piece is normalized on its own (so
/// "hello&lt;/s&gt;world" normalizes "hello" and "world" separately: both get Llama's "▁" prefix), then tokens with
/// normalized = true are split out of the normalized pieces. Matching is leftmost-longest (HF's Aho-Corasick).
/// </summary>
internal sealed class AddedVocabulary
{
    readonly TokenTrie _raw;
    readonly TokenTrie _normalized;

    public AddedVocabulary(IEnumerable<AddedToken> tokens, Normalizer? normalizer)
    {
        var list = tokens.Where(t => t.Content.Length > 0).ToList();
        _raw = new TokenTrie(list.Where(t => !t.Normalized).Select(t => (t.Content, t)));
        _normalized = new TokenTrie(list.Where(t => t.Normalized).Select(t => (normalizer?.Normalize(t.Content) ?? t.Content, t)));
    }

    /// <summary>The text as pieces in order: an added token's id, or normalized text for the pre-tokenizer (and whether
    /// it starts at the start of <paramref name="text"/>).</summary>
    public List<(string? Text, int? Id, bool AtStart)> Split(string text, Normalizer? normalizer)
    {
        var pieces = new List<(string? Text, int? Id, bool AtStart)>();
        foreach (var (piece, id, start) in _raw.Split(text))
        {
            if (id is not null)
            {
                pieces.Add((null, id, false));
                continue;
            }
            string normalized = normalizer?.Normalize(piece!) ?? piece!;
            if (normalized.Length > 0)
                foreach (var (inner, innerId, innerStart) in _normalized.Split(normalized))
                    pieces.Add((inner, innerId, start == 0 && innerStart == 0));
        }
        return pieces;
    }

    /// <summary>A char trie over token contents with HF's find_matches (single_word, lstrip, rstrip).</summary>
    sealed class TokenTrie
    {
        sealed class Node
        {
            public readonly Dictionary<char, Node> Children = new();
            public AddedToken? Token;
        }

        readonly Node _root = new();
        readonly bool _empty = true;

        public TokenTrie(IEnumerable<(string Pattern, AddedToken Token)> tokens)
        {
            foreach (var (pattern, token) in tokens)
            {
                if (pattern.Length == 0)
                    continue;
                var node = _root;
                foreach (char c in pattern)
                {
                    if (!node.Children.TryGetValue(c, out var child))
                        node.Children[c] = child = new Node();
                    node = child;
                }
                node.Token ??= token; // the same pattern twice: the first listed wins
                _empty = false;
            }
        }

        /// <summary>Non-empty pieces covering the text, with their start: (text, null) between tokens, (null, id) for a
        /// token.</summary>
        public IEnumerable<(string? Text, int? Id, int Start)> Split(string text)
        {
            if (_empty)
            {
                yield return (text, null, 0);
                yield break;
            }
            int emitted = 0;
            for (int at = 0; at < text.Length;)
            {
                var (token, length) = LongestAt(text, at);
                if (token is null)
                {
                    at++;
                    continue;
                }
                int start = at, stop = at + length;
                if (token.SingleWord && (start > 0 && IsWordChar(text, start - 1) || stop < text.Length && IsWordChar(text, stop)))
                {
                    // Not a single word: HF discards this match and resumes after it (leftmost matches do not overlap).
                    at = stop;
                    continue;
                }
                if (token.LeftStrip)
                    while (start > emitted && char.IsWhiteSpace(text[start - 1]))
                        start--;
                if (token.RightStrip)
                    while (stop < text.Length && char.IsWhiteSpace(text[stop]))
                        stop++;
                if (start > emitted)
                    yield return (text[emitted..start], null, emitted);
                yield return (null, token.Id, start);
                emitted = at = stop;
            }
            if (emitted < text.Length)
                yield return (text[emitted..], null, emitted);
        }

        (AddedToken? Token, int Length) LongestAt(string text, int at)
        {
            AddedToken? best = null;
            int bestLength = 0;
            var node = _root;
            for (int i = at; i < text.Length && node.Children.TryGetValue(text[i], out node); i++)
                if (node.Token is not null)
                    (best, bestLength) = (node.Token, i - at + 1);
            return (best, bestLength);
        }

        /// <summary>Rust regex's \w (Unicode): letters, marks, decimal digits, connector punctuation.</summary>
        static bool IsWordChar(string text, int index)
        {
            // Look at the whole code point when index is inside a surrogate pair.
            int start = char.IsLowSurrogate(text[index]) && index > 0 && char.IsHighSurrogate(text[index - 1]) ? index - 1 : index;
            var category = System.Globalization.CharUnicodeInfo.GetUnicodeCategory(text, start);
            return category is <= System.Globalization.UnicodeCategory.OtherLetter // Lu, Ll, Lt, Lm, Lo
                or System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark
                or System.Globalization.UnicodeCategory.EnclosingMark or System.Globalization.UnicodeCategory.DecimalDigitNumber
                or System.Globalization.UnicodeCategory.LetterNumber or System.Globalization.UnicodeCategory.ConnectorPunctuation;
        }
    }
}
