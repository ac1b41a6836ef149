namespace IclPrune.Synthetic;

/// <summary>
/// Pronounceable made-up words (consonant-vowel syllables) drawn from a seeded <see cref="Random"/>: they carry no
/// meaning a model could have seen elsewhere, so a category can only be learned from how the words co-occur.
/// </summary>
internal static class MadeUpWords
{
    const string Consonants = "bdfgklmnprstvz";
    const string Vowels = "aeiou";

    /// <summary>
    /// <paramref name="count"/> distinct lowercase words of 2 syllables (+ an optional final consonant), none in
    /// <paramref name="taken"/>; the new words are added to it.
    /// </summary>
    public static string[] Draw(Random random, int count, HashSet<string> taken)
    {
        var words = new string[count];
        for (int i = 0; i < count; i++)
        {
            string word;
            do
            {
                var chars = new List<char>(5);
                for (int s = 0; s < 2; s++)
                {
                    chars.Add(Consonants[random.Next(Consonants.Length)]);
                    chars.Add(Vowels[random.Next(Vowels.Length)]);
                }
                if (random.Next(2) == 1) chars.Add(Consonants[random.Next(Consonants.Length)]);
                word = new string(chars.ToArray());
            }
            while (!taken.Add(word));
            words[i] = word;
        }
        return words;
    }
}
