using System.Text;
using System.Text.Json;

namespace IclPrune.TestSupport.Tokenizers;

/// <summary>
/// A GPT-2 byte-level BPE vocabulary for tests (vocab.json + merges.txt): the 256 byte symbols in GPT-2's
/// bytes_to_unicode order (openai/gpt-2 encoder.py; byte b has id b), then left-to-right merges that make each given
/// word with a leading space one token (" pos", " Yes", ...), then &lt;|endoftext|&gt; when asked for.
/// </summary>
public sealed class Gpt2ByteVocabulary
{
    Gpt2ByteVocabulary(Dictionary<string, int> tokens, List<string> merges) => (Tokens, Merges) = (tokens, merges);

    public IReadOnlyDictionary<string, int> Tokens { get; }
    public IReadOnlyList<string> Merges { get; }
    public int Count => Tokens.Count;

    /// <summary>GPT-2's symbol for each byte: printable bytes stand for themselves, the rest map to U+0100 upward.</summary>
    public static IReadOnlyList<string> ByteSymbols { get; } = BuildByteSymbols();

    public static Gpt2ByteVocabulary Create(IEnumerable<string> singleTokenWords, bool endOfText = false)
    {
        var tokens = new Dictionary<string, int>();
        for (int b = 0; b < 256; b++) tokens[ByteSymbols[b]] = b;
        var merges = new List<string>();
        foreach (string word in singleTokenWords)
        {
            var pieces = Encoding.UTF8.GetBytes(" " + word).Select(b => ByteSymbols[b]).ToList();
            string current = pieces[0];
            foreach (string piece in pieces.Skip(1))
            {
                string merged = current + piece;
                if (!tokens.ContainsKey(merged))
                {
                    merges.Add($"{current} {piece}");
                    tokens[merged] = tokens.Count;
                }
                current = merged;
            }
        }
        if (endOfText)
            tokens["<|endoftext|>"] = tokens.Count;
        return new Gpt2ByteVocabulary(tokens, merges);
    }

    public void WriteTo(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "vocab.json"), JsonSerializer.Serialize(Tokens));
        File.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Concat(Merges.Select(m => m + "\n")));
    }

    static string[] BuildByteSymbols()
    {
        var symbols = new string[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            symbols[b] = printable ? ((char)b).ToString() : ((char)(256 + next++)).ToString();
        }
        return symbols;
    }
}
