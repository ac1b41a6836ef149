using System.Text;

namespace IclPrune.Tokenization;

/// <summary>
/// GPT-2's bytes_to_unicode (openai/gpt-2 encoder.py; HF pre_tokenizers/byte_level.rs bytes_char): printable bytes
/// stand for themselves, the others for U+0100 + n in byte order, so that every byte is a visible vocabulary char
/// (space -> 'Ġ', newline -> 'Ċ').
/// </summary>
internal static class ByteLevelAlphabet
{
    static readonly char[] CharOfByte = Build();
    static readonly Dictionary<char, byte> ByteOfChar = Enumerable.Range(0, 256).ToDictionary(b => CharOfByte[b], b => (byte)b);

    static char[] Build()
    {
        static bool Printable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
        var chars = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
            chars[b] = Printable(b) ? (char)b : (char)(256 + next++);
        return chars;
    }

    /// <summary>The alphabet char that stands for one byte.</summary>
    public static char CharOf(byte b) => CharOfByte[b];

    /// <summary>The text's UTF-8 bytes, each as its alphabet char.</summary>
    public static string Encode(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return string.Create(bytes.Length, bytes, (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
                span[i] = CharOfByte[source[i]];
        });
    }

    /// <summary>A token's bytes back, or null when it has a char outside the alphabet (an added token's text).</summary>
    public static byte[]? Decode(string token)
    {
        var bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
        {
            if (!ByteOfChar.TryGetValue(token[i], out bytes[i]))
                return null;
        }
        return bytes;
    }
}
