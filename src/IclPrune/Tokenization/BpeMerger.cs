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
    public static int MergeAll(Span<int> ids, IReadOnlyDictionary<long, (int Rank, int NewId)> merges)
    {
        int n = ids.Length;
        if (n < 2)
            return n;
        var symbols = new Symbol[n];
        for (int i = 0; i < n; i++)
            symbols[i] = new Symbol { Id = ids[i], Prev = i - 1, Next = i + 1 < n ? i + 1 : -1 };

        var queue = new PriorityQueue<(int Position, int NewId), (int Rank, int Position)>(n);
        for (int i = 0; i + 1 < n; i++)
            if (merges.TryGetValue(Key(ids[i], ids[i + 1]), out var m))
                queue.Enqueue((i, m.NewId), (m.Rank, i));

        while (queue.TryDequeue(out var top, out _))
        {
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
                queue.Enqueue((current.Prev, left.NewId), (left.Rank, current.Prev));
            if (current.Next >= 0 && merges.TryGetValue(Key(current.Id, symbols[current.Next].Id), out var next))
                queue.Enqueue((top.Position, next.NewId), (next.Rank, top.Position));
        }

        int count = 0;
        for (int i = 0; i >= 0; i = symbols[i].Next)
            ids[count++] = symbols[i].Id;
        return count;
    }

    public static long Key(int left, int right) => ((long)left << 32) | (uint)right;
}
