using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Sampling;
using IclPrune.Evaluation.Tasks;
using IclPrune.Tokenization;

namespace IclPrune.Evaluation.Prompts;

/// <summary>One scored item as token ids: its query, the continuation of each class, and the gold class.</summary>
internal sealed record TokenizedItem(int Index, long[] Query, long[][] Answers, int Gold);

/// <summary>Items that share one demonstration prefix (all of a seed's items, unless some had to drop demonstrations).</summary>
internal sealed record PrefixGroup(int DemonstrationCount, long[] Prefix, IReadOnlyList<TokenizedItem> Items);

internal sealed record SeedPrompts(int Seed, IReadOnlyList<Example> Demonstrations, IReadOnlyList<PrefixGroup> Groups, int TruncatedPrompts);

/// <summary>
/// Builds every prompt of an evaluation as token ids, once, before any forward pass: tokens are
/// [BOS if the tokenizer adds one] + encode(demonstrations text) + encode(query) + encode(answer). Encoding the pieces
/// separately is what lets one prefix cache serve every query; for byte-level BPE and templates whose demonstrations
/// end in a newline it equals encoding the whole string (docs/evaluation.md). A prompt longer than the context drops
/// whole demonstrations from the front (farthest from the query) until it fits; the query is never cut.
/// </summary>
internal static class TokenizedPrompts
{
    public static SeedPrompts Build(TaskDefinition task, IReadOnlyList<Example> pool, IReadOnlyList<Example> items,
        ITextTokenizer tokenizer, int maxPositions, int shots, int seed, bool singleTokenAnswers)
    {
        var demonstrations = DemonstrationSampler.Sample(task, pool, shots, seed);
        var tokenized = items.Select((item, i) => Tokenize(task, tokenizer, item, i)).ToList();

        var prefixes = new Dictionary<int, long[]>();
        long[] PrefixOf(int k) => prefixes.TryGetValue(k, out var ids) ? ids : prefixes[k] = Encode(tokenizer,
            PromptRenderer.Prefix(task, demonstrations.Skip(demonstrations.Count - k)), withBos: true);

        var byCount = new SortedDictionary<int, List<TokenizedItem>>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        int truncated = 0;
        foreach (var item in tokenized)
        {
            // Positions fed to the model: prefix + query, plus all answer tokens but the last when answers are scored
            // token by token (a single-token answer is read at the query's last position).
            int need = item.Query.Length + (singleTokenAnswers ? 0 : item.Answers.Max(a => a.Length) - 1);
            int k = demonstrations.Count;
            while (k > 0 && PrefixOf(k).Length + need > maxPositions) k--;
            if (PrefixOf(k).Length + need > maxPositions)
                throw new IclPruneException(
                    $"task {task.Id}: item {item.Index} of the scored split needs {PrefixOf(k).Length + need} tokens without any demonstration, " +
                    $"more than the model's context of {maxPositions}; the query is never cut.");
            if (k < demonstrations.Count) truncated++;
            if (!byCount.TryGetValue(k, out var list)) byCount[k] = list = [];
            list.Add(item);
        }
        var groups = byCount.Select(kv => new PrefixGroup(kv.Key, PrefixOf(kv.Key), kv.Value)).ToList();
        return new SeedPrompts(seed, demonstrations, groups, truncated);
    }

    static TokenizedItem Tokenize(TaskDefinition task, ITextTokenizer tokenizer, Example item, int index)
    {
        long[] query = Encode(tokenizer, PromptRenderer.Query(task, item), withBos: false);
        if (query.Length == 0)
            throw new IclPruneException($"task {task.Id}: the query of item {index} ({item.Split} row {item.Row}) encodes to no tokens; a query needs at least one.");
        var answers = new long[task.Classes.Count][];
        for (int c = 0; c < answers.Length; c++)
        {
            answers[c] = Encode(tokenizer, PromptRenderer.Answer(task, item, c), withBos: false);
            if (answers[c].Length == 0)
                throw new IclPruneException($"task {task.Id}: the answer for class '{task.Classes[c].Text}' of item {index} encodes to no tokens.");
        }
        return new TokenizedItem(index, query, answers, item.Class);
    }

    static long[] Encode(ITextTokenizer tokenizer, string text, bool withBos)
    {
        var ids = text.Length == 0 ? [] : tokenizer.Encode(text);
        bool bos = withBos && tokenizer.AddBosToken && tokenizer.BosTokenId is not null;
        var result = new long[ids.Count + (bos ? 1 : 0)];
        if (bos) result[0] = tokenizer.BosTokenId!.Value;
        for (int i = 0; i < ids.Count; i++) result[i + (bos ? 1 : 0)] = ids[i];
        return result;
    }

    /// <summary>
    /// The label token ids when every class's answer is one token and the same for every item (the paper's case:
    /// " pos" / " neg"); null otherwise. Two classes on one token cannot be told apart: that is an error.
    /// </summary>
    public static long[]? SingleTokenLabels(TaskDefinition task, IReadOnlyList<Example> items, ITextTokenizer tokenizer)
    {
        if (task.Type != TaskType.Classification || items.Count == 0) return null;
        var first = Enumerable.Range(0, task.Classes.Count).Select(c => PromptRenderer.Answer(task, items[0], c)).ToList();
        if (items.Any(item => Enumerable.Range(0, task.Classes.Count).Any(c => PromptRenderer.Answer(task, item, c) != first[c]))) return null;
        var ids = first.Select(text => tokenizer.Encode(text)).ToList();
        if (ids.Any(t => t.Count != 1)) return null;
        var labels = ids.Select(t => (long)t[0]).ToArray();
        for (int a = 0; a < labels.Length; a++)
            for (int b = a + 1; b < labels.Length; b++)
                if (labels[a] == labels[b])
                    throw new IclPruneException(
                        $"task {task.Id}: answers '{first[a]}' and '{first[b]}' are the same token ({labels[a]}) for this tokenizer; the classes cannot be told apart.");
        return labels;
    }
}
