namespace IclPrune.Tokenization;

/// <summary>
/// Applies BPE merges to one word in O(n log n): a priority queue of adjacent pairs ordered by (rank, position) over a
/// linked list of symbols, as Hugging Face's tokenizers do it (tokenizers/src/models/bpe/word.rs, Word::merge_all),
/// including its rule for stale queue entries: an entry is applied when the pair now at its position still merges
/// into the same token. Merging the lowest rank first, leftmost among equals, is exactly the textbook quadratic loop.
/// </summary>
internal static class BpeMerger
{
    struct Symbol
    {
        public int Id;
        public int Prev;
        public int Next;
        public bool Merged; // absorbed into its left neighbour
    }

    /// <summary>Merges <paramref name="ids"/> in place and returns how many symbols remain at its start.</summary>
    public static int MergeAll(Span<int> ids, Dictionary<long, (int Rank, int NewId)> merges)
    {
        int n = ids.Length;
        if (n < 2)
            return n;
        var symbols = new Symbol[n];
        for (int i = 0; i < n; i++)
            symbols[i] = new Symbol { Id = ids[i], Prev = i - 1, Next = i + 1 < n ? i + 1 : -1 };

        // Element: the merged token's id; priority: rank, then position (one long compares fastest).
        var queue = new PriorityQueue<int, long>(n);
        for (int i = 0; i + 1 < n; i++)
            if (merges.TryGetValue(Key(ids[i], ids[i + 1]), out var m))
                queue.Enqueue(m.NewId, Priority(m.Rank, i));

        while (queue.TryDequeue(out int newId, out long priority))
        {
            var top = (Position: (int)(priority & 0xFFFFFFFF), NewId: newId);
            ref var current = ref symbols[top.Position];
            if (current.Merged || current.Next < 0)
                continue;
            ref var right = ref symbols[current.Next];
            if (!merges.TryGetValue(Key(current.Id, right.Id), out var now) || now.NewId != top.NewId)
                continue;

            current.Id = top.NewId;
            right.Merged = true;
            current.Next = right.Next;
            if (right.Next >= 0)
                symbols[right.Next].Prev = top.Position;

            if (current.Prev >= 0 && merges.TryGetValue(Key(symbols[current.Prev].Id, current.Id), out var left))
                queue.Enqueue(left.NewId, Priority(left.Rank, current.Prev));
            if (current.Next >= 0 && merges.TryGetValue(Key(current.Id, symbols[current.Next].Id), out var next))
                queue.Enqueue(next.NewId, Priority(next.Rank, top.Position));
        }

        int count = 0;
        for (int i = 0; i >= 0; i = symbols[i].Next)
            ids[count++] = symbols[i].Id;
        return count;
    }

    static long Priority(int rank, int position) => ((long)rank << 32) | (uint)position;

    public static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>
    /// Hashes a pair key well. long's own hash is left ^ right, which sends every pair of equal ids ("a a", "Ġ Ġ") to 0:
    /// GPT-2's self-pair merges then share one bucket chain and a 5,000-character run of one letter took 50 ms.
    /// </summary>
    public sealed class PairComparer : IEqualityComparer<long>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32); // Fibonacci hashing
    }
}
