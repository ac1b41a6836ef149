using IclPrune.Tokenization;

namespace IclPrune.Tests.Tokenization;

/// <summary>The priority-queue merge against the textbook quadratic loop (lowest rank first, leftmost among equals).</summary>
public sealed class BpeMergerTests
{
    [Test]
    public void MergeAll_RandomWordsAndMerges_SameAsQuadraticLoop()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 300; trial++)
        {
            // Symbols 0..3; merges build new ids from random pairs, some pairs of merged symbols too.
            var merges = new Dictionary<long, (int Rank, int NewId)>();
            int nextId = 4;
            for (int rank = 0; rank < 12; rank++)
            {
                int left = random.Next(nextId), right = random.Next(nextId);
                if (merges.TryAdd(BpeMerger.Key(left, right), (rank, nextId)))
                    nextId++;
            }
            int[] word = Enumerable.Range(0, random.Next(1, 40)).Select(_ => random.Next(4)).ToArray();
            var expected = QuadraticMerge(word.ToList(), merges);
            int[] actual = word.ToArray();
            int count = BpeMerger.MergeAll(actual, merges);
            Assert.That(actual[..count], Is.EqualTo(expected), $"word [{string.Join(",", word)}]");
        }
    }

    static List<int> QuadraticMerge(List<int> symbols, Dictionary<long, (int Rank, int NewId)> merges)
    {
        while (true)
        {
            int bestAt = -1, bestRank = int.MaxValue, bestId = 0;
            for (int i = 0; i + 1 < symbols.Count; i++)
                if (merges.TryGetValue(BpeMerger.Key(symbols[i], symbols[i + 1]), out var m) && m.Rank < bestRank)
                    (bestAt, bestRank, bestId) = (i, m.Rank, m.NewId);
            if (bestAt < 0)
                return symbols;
            symbols[bestAt] = bestId;
            symbols.RemoveAt(bestAt + 1);
        }
    }
}
