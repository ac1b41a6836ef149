using System.Text;

namespace IclPrune.Tests.Tokenization.Parity;

/// <summary>
/// The texts the parity tests encode: the cases Hugging Face was seen to disagree on, label words, ICL prompts, a
/// seeded random mix of every kind of text (English, whitespace runs, digits, punctuation, accents and combining
/// marks, CJK, emoji, letters and digits outside the Basic Multilingual Plane, special tokens inside text), and
/// 5,000-character texts, ordinary and degenerate.
/// </summary>
public static class ParityCorpus
{
    static readonly string[] Fixed =
    [
        "", " ", "  ", "\n", "\r\n", "\t", "a", "𝐇's", " 𝟏𝟐", "Tiếng Việt có dấu", "hello</s>world", "<s>hello", "a </s> b",
        "'s", "'S", "don't", "DON'T", "I'LL", "'ſ", "they’re", "x'", "''", "12345", "1234567", " 123 4567 ",
        "Hello, world! It's 2024.", "  leading and trailing  ", "tabs\tand\nnewlines\r\n", "naïve café 日本語 🙂 ∑",
        "e\u0301\u0302", "Ångström", "\u00a0nbsp\u00a0", "ideographic\u3000space", "<|endoftext|>", "x<|endoftext|>y",
        "<|begin_of_text|>Hi", "<s></s><s>", "[MASK]", "a [MASK] b", "a[MASK]b", "<tool>", " <tool> ", "word", "wordy word",
        "👨‍👩‍👧 👍🏽 🇫🇷", "𐐷𐐸𐐹", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𝟘𝟙𝟚", "\U0001F600\U0001F600", "\n\n\n", "a\n\nb", "   \n  x",
    ];

    static readonly string[] LabelWords = ["positive", " positive", " negative", "Yes", " No", " true", " false", " entailment", " neutral", " contradiction", " sports", " World"];

    static readonly string[][] Fragments =
    [
        ["the", "movie", "was", "great", "terrible", "Review", "Sentiment", "question", "answer", "is", "not", "Paris", "tokenization", "model", "HELLO", "CamelCase", "snake_case"],
        [" ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n", "\u00a0", "\u3000", "    \n    "],
        ["0", "7", "42", "123", "2024", "31415926", "1,000", "3.14", "-5", "1e10", "٣٤", "Ⅻ"],
        [".", ",", "!", "?", "...", "--", "'", "\"", "(", ")", "[", "]", "{", "}", "<", ">", "/", "#", "@", "$%^", "€", "—", "«»"],
        ["café", "naïve", "résumé", "Ærøskøbing", "e\u0301", "n\u0303", "Straße", "İstanbul", "ǅ", "Zürich", " Hanoi"],
        ["日本語", "中文字符", "한국어", "ひらがな", "カタカナ", "漢字", "Привет", "مرحبا", "שלום", "สวัสดี", "नमस्ते"],
        ["🙂", "👍🏽", "👨‍👩‍👧", "🇫🇷", "❤️", "🤖", "\U0001F600"],
        ["𝐇", "𝐇𝐞𝐥𝐥𝐨", "𝟏𝟐", "𝟏𝟐𝟑𝟒", "𐐷", "𝔘𝔫𝔦", "𝒜", "𠀀", "𝟘"],
        ["<s>", "</s>", "<unk>", "<|endoftext|>", "<|begin_of_text|>", "<|eot_id|>", "<tool>", "[MASK]", "word"],
        ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL"],
    ];

    /// <summary>About 300 texts, the same every run.</summary>
    public static IReadOnlyList<string> Texts { get; } = Build();

    /// <summary>Words the vocabularies hold whole but never learn merges for (only ignore_merges emits them whole).</summary>
    public static readonly string[] UntrainedWords = ["Tiếng", " Việt", " có", " dấu"];

    /// <summary>The texts a test vocabulary is trained on: all but the 5,000-character ones and the untrained words.</summary>
    public static IReadOnlyList<string> TrainingTexts =>
        Texts.Where(t => t.Length < 1000 && !UntrainedWords.Any(w => t.Contains(w.Trim(), StringComparison.Ordinal))).ToList();

    static List<string> Build()
    {
        var texts = new List<string>(Fixed);
        texts.AddRange(LabelWords);
        texts.Add(IclPrompt());
        var random = new Random(20240611);
        for (int i = 0; i < 250; i++)
            texts.Add(RandomText(random, random.Next(1, 30)));
        texts.AddRange(LongTexts(random));
        return texts;
    }

    static string IclPrompt()
    {
        var prompt = new StringBuilder();
        foreach (var (review, label) in new[] { ("the movie was great", "positive"), ("a dull, lifeless plot", "negative"), ("I'd watch it again!", "positive") })
            prompt.Append($"Review: {review}\nSentiment: {label}\n\n");
        return prompt.Append("Review: not my cup of tea\nSentiment:").ToString();
    }

    static string RandomText(Random random, int fragments)
    {
        var text = new StringBuilder();
        for (int i = 0; i < fragments; i++)
        {
            var kind = Fragments[random.Next(Fragments.Length)];
            text.Append(kind[random.Next(kind.Length)]);
            int glue = random.Next(4);
            if (glue == 0)
                text.Append(' ');
            else if (glue == 1)
                text.Append(Fragments[1][random.Next(Fragments[1].Length)]);
        }
        return text.ToString();
    }

    /// <summary>5,000-character texts: runs of one character (BPE's worst case), and a long ordinary mix.</summary>
    public static IEnumerable<string> LongTexts(Random random)
    {
        yield return new string('a', 5000);
        yield return new string(' ', 5000);
        yield return new string('\n', 5000);
        yield return new string('1', 5000);
        yield return string.Concat(Enumerable.Repeat("ab", 2500));
        yield return string.Concat(Enumerable.Repeat("𝐇", 2500));
        yield return string.Concat(Enumerable.Repeat("🙂", 2500));
        var mixed = new StringBuilder();
        while (mixed.Length < 5000)
            mixed.Append(RandomText(random, 10)).Append(' ');
        string text = mixed.ToString(0, 5000);
        yield return char.IsHighSurrogate(text[^1]) ? text[..^1] : text; // never end on half a surrogate pair
    }
}
