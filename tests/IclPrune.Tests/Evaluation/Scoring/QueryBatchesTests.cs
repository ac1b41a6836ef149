using IclPrune.Evaluation.Prompts;
using IclPrune.Evaluation.Scoring;

namespace IclPrune.Tests.Evaluation.Scoring;

public class QueryBatchesTests
{
    static List<TokenizedItem> Items(params int[] queryLengths) =>
        queryLengths.Select((n, i) => new TokenizedItem(i, new long[n], [[1], [2]], 0)).ToList();

    static List<List<int>> Plan(List<TokenizedItem> items, int maxItems, int? budget, int rowsPerItem = 1) =>
        QueryBatches.Plan(items, maxItems, budget, i => i.Query.Length, rowsPerItem).Select(b => b.Select(i => i.Index).ToList()).ToList();

    [Test]
    public void Plan_NoBudget_FixedItemCounts()
    {
        Assert.That(Plan(Items(1, 2, 3, 4, 5), maxItems: 2, budget: null), Is.EqualTo(new[] { new[] { 0, 1 }, new[] { 2, 3 }, new[] { 4 } }));
    }

    [Test]
    public void Plan_Budget_PaddedTokensNeverExceedIt()
    {
        var items = Items(2, 2, 3, 3, 3, 5, 9, 9);
        var batches = QueryBatches.Plan(items, maxItems: 100, tokenBudget: 10, i => i.Query.Length, rowsPerItem: 1).ToList();
        Assert.That(batches.SelectMany(b => b).Select(i => i.Index), Is.EqualTo(Enumerable.Range(0, 8)), "every item once, in order");
        foreach (var batch in batches)
            Assert.That(batch.Count * batch.Max(i => i.Query.Length), Is.LessThanOrEqualTo(10));
        // [2,2,3] pads to 3x3 = 9 (a fourth item would be 4x3); [3,3] = 6 (the 5 would make 3x5); 5, 9, 9 alone.
        Assert.That(batches.Select(b => b.Count), Is.EqualTo(new[] { 3, 2, 1, 1, 1 }), "short queries share a forward");
    }

    [Test]
    public void Plan_ItemAloneOverBudget_GetsItsOwnBatch()
    {
        Assert.That(Plan(Items(1, 50, 1), maxItems: 8, budget: 10), Is.EqualTo(new[] { new[] { 0 }, new[] { 1 }, new[] { 2 } }));
    }

    [Test]
    public void Plan_RowsPerItem_CountsEveryClassRow()
    {
        // Two rows per item of 4 tokens: 8 padded tokens per item, so a budget of 16 holds two items.
        Assert.That(Plan(Items(4, 4, 4, 4, 4), maxItems: 8, budget: 16, rowsPerItem: 2), Is.EqualTo(new[] { new[] { 0, 1 }, new[] { 2, 3 }, new[] { 4 } }));
    }
}
