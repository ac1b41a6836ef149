using System.Text;
using IclPrune.Synthetic;

namespace IclPrune.Tests.Synthetic;

public sealed class ByteLevelBpeVocabularyTests
{
    static readonly SyntheticWorld World = SyntheticWorld.Create();
    static readonly ByteLevelBpeVocabulary Vocabulary = new(World.SingleTokenWords);

    [Test]
    public void Encode_EveryItemAndLabelWordWithLeadingSpace_IsOneToken()
    {
        var notSingle = World.Items.SelectMany(c => c).Concat(World.LabelWords)
            .Where(w => Vocabulary.Encode(" " + w).Length != 1).ToList();
        Assert.That(notSingle, Is.Empty);
    }

    [TestCaseSource(typeof(SyntheticTemplate), nameof(SyntheticTemplate.All))]
    public void Encode_Prompt_IsConcatenationOfItsPieces(SyntheticTemplate template)
    {
        // The sampler builds prompts piece by piece; this holds only if no merge crosses a piece boundary.
        string a = World.Items[0][0], b = World.Items[1][3], x = World.LabelWords[0], y = World.LabelWords[5];
        int[] whole = Vocabulary.Encode(template.Demonstration(a, x) + template.Demonstration(b, y) + template.Query(a));
        int[] pieces = [.. Vocabulary.Encode(template.Before), Vocabulary.WordId(a), .. Vocabulary.Encode(template.Between),
            Vocabulary.WordId(x), .. Vocabulary.Encode(template.After),
            .. Vocabulary.Encode(template.Before), Vocabulary.WordId(b), .. Vocabulary.Encode(template.Between),
            Vocabulary.WordId(y), .. Vocabulary.Encode(template.After),
            .. Vocabulary.Encode(template.Before), Vocabulary.WordId(a), .. Vocabulary.Encode(template.Between)];
        Assert.That(whole, Is.EqualTo(pieces));
    }

    [Test]
    public void Encode_AnyText_DecodesBackByteForByte()
    {
        const string text = "Hello, wörld!\n  zap -> 42 ;";
        var ids = Vocabulary.Encode(text);
        var charToByte = Enumerable.Range(0, 256).ToDictionary(b => ByteLevelBpeVocabulary.ByteToChar[b], b => (byte)b);
        var bytes = ids.SelectMany(id => Vocabulary.Tokens[id]).Select(c => charToByte[c]).ToArray();
        Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo(text));
    }

    [Test]
    public void ByteToChar_MatchesGpt2Table()
    {
        // Reference values from openai/gpt-2 encoder.py bytes_to_unicode: space -> 'Ġ' (U+0120), '\n' -> 'Ċ' (U+010A).
        Assert.That(ByteLevelBpeVocabulary.ByteToChar[' '], Is.EqualTo('\u0120'));
        Assert.That(ByteLevelBpeVocabulary.ByteToChar['\n'], Is.EqualTo('\u010A'));
        Assert.That(ByteLevelBpeVocabulary.ByteToChar['a'], Is.EqualTo('a'));
        Assert.That(ByteLevelBpeVocabulary.ByteToChar.Distinct().Count(), Is.EqualTo(256));
    }
}
