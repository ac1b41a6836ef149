namespace IclPrune.Search;

/// <summary>
/// Which shard computes which cell of a sweep: a pure function of the grid, the model's layer count and the shard
/// count, so every shard (and the merge) derives the same answer without talking to the others.
/// Cost model, in "layers run per scored item": with layer-input reuse a cell at layer l runs layers l..L-1, so it
/// costs L - l, and the first cell of a layer in a process also runs layers 0..l-1 once to store their output (+ l).
/// Rates cost the same (the SVD, once per matrix per process, is small next to scoring). The unpruned model costs L
/// and its rate-0 cells nothing (xi = 0 leaves the weights bit-identical, so they reuse its score): they are one unit.
/// Work is first grouped by layer, so a shard pays for a layer's stored inputs and SVDs once; a layer's group is
/// halved (by target, then by rate) while it is bigger than an even share, then groups go to shards largest first,
/// each to the least loaded shard (LPT scheduling: within 4/3 of the best possible makespan).
/// </summary>
public sealed class ShardAssignment
{
    readonly Dictionary<string, int> _owner = new();
    readonly double[] _load;

    ShardAssignment(int count) => _load = new double[count];

    public int Count => _load.Length;

    /// <summary>Every key of the sweep: the unpruned model first, then the cells in grid order.</summary>
    public IReadOnlyList<string> Keys { get; private set; } = [];

    /// <summary>The shard (1-based) that computes <paramref name="key"/>.</summary>
    public int OwnerOf(string key) => _owner.TryGetValue(key, out int owner)
        ? owner
        : throw new ArgumentException($"'{key}' is not a cell of this sweep.", nameof(key));

    public IReadOnlyList<string> KeysOf(int shard) => Keys.Where(k => _owner[k] == shard).ToList();

    /// <summary>The expected cost of a shard in layers run per scored item (see the class comment).</summary>
    public double LoadOf(int shard) => _load[shard - 1];

    public static ShardAssignment Of(SweepGrid grid, int modelLayers, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "at least one shard");
        foreach (int layer in grid.Layers)
            if (layer < 0 || layer >= modelLayers)
                throw new ArgumentOutOfRangeException(nameof(grid), layer, $"layer outside a {modelLayers}-layer model");

        var cells = grid.Cells().ToList();
        var units = new List<Unit> { new([SweepJournal.BaselineKey, .. cells.Where(c => c.Rate == 0m).Select(c => c.Key)], 0, modelLayers, Unpruned: true) };
        foreach (var layer in cells.Where(c => c.Rate != 0m).GroupBy(c => c.Layer))
            units.Add(new Unit(layer.Select(c => c.Key).ToList(), modelLayers - layer.Key, layer.Key, Unpruned: false));

        double share = units.Sum(u => u.Cost) / count;
        while (units.Where(u => !u.Unpruned && u.Keys.Count > 1 && u.Cost > share).MaxBy(u => u.Cost) is { } big)
        {
            int at = units.IndexOf(big);
            units.RemoveAt(at);
            units.InsertRange(at, big.Halves());
        }

        var assignment = new ShardAssignment(count) { Keys = [SweepJournal.BaselineKey, .. cells.Select(c => c.Key)] };
        // Largest first; among equals, grid order (the list order), so the result never depends on a sort's stability.
        foreach (var unit in units.Select((u, i) => (u, i)).OrderByDescending(x => x.u.Cost).ThenBy(x => x.i).Select(x => x.u))
        {
            int shard = 0;
            for (int s = 1; s < count; s++) if (assignment._load[s] < assignment._load[shard]) shard = s;
            assignment._load[shard] += unit.Cost;
            foreach (string key in unit.Keys) assignment._owner[key] = shard + 1;
        }
        return assignment;
    }

    /// <summary>
    /// Cells one shard computes together: each costs <see cref="PerCell"/>, plus <see cref="Setup"/> once. The unpruned
    /// unit (the model, then its free rate-0 cells) is never split.
    /// </summary>
    sealed record Unit(IReadOnlyList<string> Keys, double PerCell, double Setup, bool Unpruned)
    {
        public double Cost => Keys.Count * PerCell + Setup;

        public IEnumerable<Unit> Halves()
        {
            int half = (Keys.Count + 1) / 2;
            yield return this with { Keys = Keys.Take(half).ToList() };
            yield return this with { Keys = Keys.Skip(half).ToList() };
        }
    }
}
