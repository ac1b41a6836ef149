using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Sampling;
using IclPrune.Evaluation.Tasks;
using IclPrune.Tokenization;

namespace IclPrune.Evaluation.Prompts;

/// <summary>
/// One scored item as token ids: the part of its prompt after its group's shared prefix, the continuation of each
/// class, and the gold class.
/// </summary>
internal sealed record TokenizedItem(int Index, long[] Query, long[][] Answers, int Gold);

/// <summary>Items that share one demonstration prefix (all of a seed's items, unless some had to drop demonstrations).</summary>
internal sealed record PrefixGroup(int DemonstrationCount, long[] Prefix, IReadOnlyList<TokenizedItem> Items);

internal sealed record SeedPrompts(int Seed, IReadOnlyList<Example> Demonstrations, IReadOnlyList<PrefixGroup> Groups, int TruncatedPrompts);

/// <summary>
/// Builds every prompt of an evaluation as token ids, once, before any forward pass. The prompt is tokenized as one
/// string, [BOS if the tokenizer adds one] + encode(demonstrations + query), exactly as the paper's code does; the
/// answer is encode(answer) appended. The cached prefix is the longest run of leading tokens that every prompt of
/// the group shares with encode(demonstrations): usually all of it, one token less where BPE merges across the
/// boundary (GPT-2 merges " \n" at the end of a string but not before a letter). A prompt longer than the context
/// drops whole demonstrations from the front (farthest from the query) until it fits; the query is never cut.
/// </summary>
internal static class TokenizedPrompts
{
    public static SeedPrompts Build(TaskDefinition task, IReadOnlyList<Example> pool, IReadOnlyList<Example> items,
        IReadOnlyList<long[][]> itemAnswers, ITextTokenizer tokenizer, int maxPositions, int shots, int seed, bool singleTokenAnswers)
    {
        var demonstrations = DemonstrationSampler.Sample(task, pool, shots, seed);
        var encoders = new Dictionary<int, PromptEncoder>();
        PromptEncoder EncoderFor(int k) => encoders.TryGetValue(k, out var e) ? e
            : encoders[k] = new PromptEncoder(task, tokenizer, demonstrations.Skip(demonstrations.Count - k).ToList());

        var byCount = new SortedDictionary<int, List<(int Index, long[] Prompt, long[][] Answers, int Gold)>>(
            Comparer<int>.Create((a, b) => b.CompareTo(a)));
        int truncated = 0;
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i];
            string query = PromptRenderer.Query(task, item);
            var answers = itemAnswers[i];
            // Positions fed to the model beyond the prompt: all answer tokens but the last when answers are scored
            // token by token (a single-token answer is read at the prompt's last position).
            int extra = singleTokenAnswers ? 0 : answers.Max(a => a.Length) - 1;
            int k = demonstrations.Count;
            long[] prompt = EncoderFor(k).Prompt(query);
            while (k > 0 && prompt.Length + extra > maxPositions)
                prompt = EncoderFor(--k).Prompt(query);
            if (prompt.Length + extra > maxPositions)
                throw new IclPruneException(
                    $"task {task.Id}: item {i} ({item.Split} row {item.Row}) needs {prompt.Length + extra} tokens without any demonstration, " +
                    $"more than the model's context of {maxPositions}; the query is never cut.");
            if (prompt.Length == 0 || PromptEncoder.Encode(tokenizer, query, withBos: false).Length == 0)
                throw new IclPruneException($"task {task.Id}: the query of item {i} ({item.Split} row {item.Row}) encodes to no tokens; a query needs at least one.");
            if (k < demonstrations.Count) truncated++;
            if (!byCount.TryGetValue(k, out var list)) byCount[k] = list = [];
            list.Add((i, prompt, answers, item.Class));
        }

        var groups = new List<PrefixGroup>();
        foreach (var (k, members) in byCount)
        {
            long[] prefix = EncoderFor(k).Prefix;
            // Every member keeps at least one token of its own: the position whose output scores the answer.
            int shared = members.Min(m => Math.Min(CommonPrefixLength(m.Prompt, prefix), m.Prompt.Length - 1));
            var tokenized = members.Select(m => new TokenizedItem(m.Index, m.Prompt[shared..], m.Answers, m.Gold)).ToList();
            groups.Add(new PrefixGroup(k, prefix[..shared], tokenized));
        }
        return new SeedPrompts(seed, demonstrations, groups, truncated);
    }

    static int CommonPrefixLength(long[] a, long[] b)
    {
        int n = Math.Min(a.Length, b.Length), i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }

    /// <summary>
    /// Each class's continuation as the tokenizer splits it in context: encode(query + answer) minus encode(query).
    /// For byte-level BPE that is encode(" pos"); for SentencePiece it is the word piece "▁pos" (encoding " pos" on
    /// its own would add a dummy-prefix "▁" first), which is the token the paper reads for Llama 2. Where the answer
    /// merges with the end of the query, the answer is encoded on its own.
    /// </summary>
    public static long[][] Answers(TaskDefinition task, ITextTokenizer tokenizer, Example item, int index)
    {
        string query = PromptRenderer.Query(task, item);
        long[] queryIds = PromptEncoder.Encode(tokenizer, query, withBos: false);
        var answers = new long[task.Classes.Count][];
        for (int c = 0; c < answers.Length; c++)
        {
            string answer = PromptRenderer.Answer(task, item, c);
            long[] joint = PromptEncoder.Encode(tokenizer, query + answer, withBos: false);
            answers[c] = joint.Length > queryIds.Length && joint.AsSpan(0, queryIds.Length).SequenceEqual(queryIds)
                ? joint[queryIds.Length..]
                : PromptEncoder.Encode(tokenizer, answer, withBos: false);
            if (answers[c].Length == 0)
                throw new IclPruneException($"task {task.Id}: the answer for class '{task.Classes[c].Text}' of item {index} encodes to no tokens.");
        }
        return answers;
    }

    /// <summary>
    /// The label token ids when every class's answer is one token and the same for every item (the paper's case:
    /// " pos" / " neg"); null otherwise. Two classes on one token cannot be told apart: that is an error.
    /// </summary>
    public static long[]? SingleTokenLabels(TaskDefinition task, IReadOnlyList<long[][]> itemAnswers)
    {
        if (task.Type != TaskType.Classification || itemAnswers.Count == 0) return null;
        var first = itemAnswers[0];
        if (first.Any(a => a.Length != 1)) return null;
        if (itemAnswers.Any(answers => answers.Where((a, c) => a.Length != 1 || a[0] != first[c][0]).Any())) return null;
        var labels = first.Select(a => a[0]).ToArray();
        for (int a = 0; a < labels.Length; a++)
            for (int b = a + 1; b < labels.Length; b++)
                if (labels[a] == labels[b])
                    throw new IclPruneException(
                        $"task {task.Id}: labels '{task.Classes[a].Text}' and '{task.Classes[b].Text}' are the same token ({labels[a]}) for this tokenizer; the classes cannot be told apart.");
        return labels;
    }
}
