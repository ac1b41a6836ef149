using IclPrune.Synthetic;

namespace IclPrune.Tests.Synthetic;

public sealed class SyntheticWorldTests
{
    [Test]
    public void Create_SameSeed_SameWords()
    {
        var a = SyntheticWorld.Create(seed: 7, categories: 5, itemsPerCategory: 6, labelPool: 8);
        var b = SyntheticWorld.Create(seed: 7, categories: 5, itemsPerCategory: 6, labelPool: 8);
        Assert.That(b.Items.SelectMany(c => c), Is.EqualTo(a.Items.SelectMany(c => c)));
        Assert.That(b.LabelWords, Is.EqualTo(a.LabelWords));
    }

    [Test]
    public void Create_OtherSeed_OtherWords()
    {
        var a = SyntheticWorld.Create(seed: 7, categories: 5, itemsPerCategory: 6, labelPool: 8);
        var b = SyntheticWorld.Create(seed: 8, categories: 5, itemsPerCategory: 6, labelPool: 8);
        Assert.That(b.Items.SelectMany(c => c), Is.Not.EqualTo(a.Items.SelectMany(c => c)));
    }

    [Test]
    public void Create_Default_AllWordsDistinctAndDisjointFromTemplateWords()
    {
        var world = SyntheticWorld.Create();
        var words = world.Items.SelectMany(c => c).Concat(world.LabelWords).ToList();
        Assert.That(words, Is.Unique);
        Assert.That(words, Has.None.AnyOf(SyntheticTemplate.ReservedWords.ToArray()));
        Assert.That(words.Count, Is.EqualTo(SyntheticWorld.DefaultCategories * SyntheticWorld.DefaultItemsPerCategory + SyntheticWorld.DefaultLabelPool));
    }

    [Test]
    public void Create_TooFewCategories_Throws()
    {
        Assert.That(() => SyntheticWorld.Create(categories: 2), Throws.TypeOf<UsageException>().With.Message.Contains("categories 2"));
    }
}
