using IclPrune.Evaluation.Prompts;

namespace IclPrune.Evaluation.Scoring;

/// <summary>
/// Cuts a prefix group's items, sorted by query length, into forward batches. A batch holds at most
/// <c>maxItems</c> items and, with a token budget, at most that many padded tokens (rows x longest row): short
/// queries then share a forward in large numbers, which is what lets the matrix products run at the machine's rate
/// (a batch of 8 twenty-token queries is a 160-row matmul), while long ones stay within the memory the budget stands
/// for. Sorting first keeps padding small; every batch holds at least one item.
/// </summary>
internal static class QueryBatches
{
    /// <param name="rowLength">Tokens of one row of the item (query, plus answer tokens but the last when scored token by token).</param>
    /// <param name="rowsPerItem">Rows an item takes: 1, or one per class when answers are scored token by token.</param>
    public static IEnumerable<List<TokenizedItem>> Plan(IReadOnlyList<TokenizedItem> sortedItems, int maxItems, int? tokenBudget,
        Func<TokenizedItem, int> rowLength, int rowsPerItem)
    {
        var batch = new List<TokenizedItem>();
        int width = 0;
        foreach (var item in sortedItems)
        {
            int grown = Math.Max(width, rowLength(item));
            bool full = batch.Count >= maxItems
                || (tokenBudget is { } budget && batch.Count > 0 && (long)(batch.Count + 1) * rowsPerItem * grown > budget);
            if (full)
            {
                yield return batch;
                batch = [];
                grown = rowLength(item);
            }
            batch.Add(item);
            width = grown;
        }
        if (batch.Count > 0) yield return batch;
    }
}
