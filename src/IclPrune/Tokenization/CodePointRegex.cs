using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IclPrune.Tokenization;

/// <summary>
/// A pre-tokenizer regex matched on Unicode code points, as Hugging Face's tokenizers (Oniguruma on UTF-8) match it.
/// .NET's Regex works on UTF-16 chars and sees a surrogate pair as two chars of category Cs, so "𝐇" is not \p{L} and
/// " 𝟏𝟐" splits differently from HF. When the text has surrogate pairs, the regex runs on a proxy string with one
/// char per code point: every supplementary code point becomes a Basic Multilingual Plane char of the same general
/// category (\p{L}, \p{Lu}, \p{N}, \w... all decide by category), chosen so that it is not a literal of the pattern.
/// Match offsets are mapped back to the original text.
/// </summary>
internal sealed class CodePointRegex
{
    readonly Regex _regex;
    readonly char[] _proxyOf; // UnicodeCategory -> a BMP char of that category

    /// <param name="pattern">The pattern in Oniguruma's (Ruby) syntax, which .NET shares for what tokenizers use.</param>
    /// <exception cref="ArgumentException">The pattern is not a valid .NET regex.</exception>
    public CodePointRegex(string pattern)
    {
        // Multiline: in Oniguruma's Ruby syntax ^ and $ always match at line breaks.
        _regex = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.Multiline);
        _proxyOf = ChooseProxies(pattern);
    }

    public string Pattern => _regex.ToString();

    /// <summary>Non-empty matches, left to right, as (start, end) char offsets into <paramref name="text"/>.</summary>
    public List<(int Start, int End)> Matches(string text)
    {
        var matches = new List<(int, int)>();
        if (!HasSurrogatePair(text))
        {
            for (var m = _regex.Match(text); m.Success; m = m.NextMatch())
                if (m.Length > 0)
                    matches.Add((m.Index, m.Index + m.Length));
            return matches;
        }
        var (proxy, charOffset) = Proxy(text);
        for (var m = _regex.Match(proxy); m.Success; m = m.NextMatch())
            if (m.Length > 0)
                matches.Add((charOffset[m.Index], charOffset[m.Index + m.Length]));
        return matches;
    }

    static bool HasSurrogatePair(string text)
    {
        for (int from = 0; ;)
        {
            int i = text.AsSpan(from).IndexOfAnyInRange('\uD800', '\uDBFF');
            if (i < 0)
                return false;
            i += from;
            if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                return true;
            from = i + 1;
        }
    }

    /// <summary>One char per code point, and for each proxy index the char offset in the text it stands for.</summary>
    (string Proxy, int[] CharOffset) Proxy(string text)
    {
        var proxy = new StringBuilder(text.Length);
        var offsets = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i++)
        {
            offsets.Add(i);
            if (i + 1 < text.Length && char.IsSurrogatePair(text[i], text[i + 1]))
            {
                proxy.Append(_proxyOf[(int)CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]))]);
                i++;
            }
            else
                proxy.Append(text[i]); // a lone surrogate stays itself (category Cs); UTF-8 text never has one
        }
        offsets.Add(text.Length);
        return (proxy.ToString(), offsets.ToArray());
    }

    /// <summary>
    /// For each general category, a BMP char of it that the pattern does not name: not one of its chars (in either
    /// case, for (?i:...)) and not inside a literal range "a-z" of it. Searched from the top of the BMP down, far
    /// from the ASCII and Latin letters patterns spell out.
    /// </summary>
    static char[] ChooseProxies(string pattern)
    {
        var named = new HashSet<char>();
        foreach (char c in pattern)
        {
            named.Add(c);
            named.Add(char.ToLowerInvariant(c));
            named.Add(char.ToUpperInvariant(c));
        }
        var ranges = new List<(char From, char To)>();
        for (int i = 1; i + 1 < pattern.Length; i++)
            if (pattern[i] == '-' && pattern[i - 1] != '\\' && pattern[i - 1] < pattern[i + 1])
                ranges.Add((pattern[i - 1], pattern[i + 1]));

        int categories = Enum.GetValues<UnicodeCategory>().Length;
        var proxies = new char[categories];
        var found = new bool[categories];
        int missing = categories;
        for (int c = 0xFFFD; c >= 0x80 && missing > 0; c--)
        {
            char ch = (char)c;
            int category = (int)CharUnicodeInfo.GetUnicodeCategory(ch);
            if (found[category] || named.Contains(ch) || ranges.Any(r => ch >= r.From && ch <= r.To))
                continue;
            proxies[category] = ch;
            found[category] = true;
            missing--;
        }
        // Surrogate (Cs) is never the category of a code point above U+FFFF; every other category has BMP chars.
        return proxies;
    }
}
