using IclPrune.Search;

namespace IclPrune.Tests.Search;

/// <summary>
/// The racing rate search on simulated accuracy curves (<see cref="SimulatedRates"/>; seeds stated per test): a
/// clearly dominated rate is dropped early, identical rates are dropped in at most alpha of the replications
/// (calibration), and on a curve like the tiny model's the pick agrees with the full search while scoring fewer items.
/// The numbers printed here are the ones docs/pruning.md ("Racing") quotes.
/// </summary>
public sealed class RateRaceTests
{
    static readonly decimal[] DemoRates = [0m, 0.1m, 0.5m, 0.75m, 0.9m, 0.95m, 0.99m];

    [TestCase(56, new[] { 7, 14, 28, 56 })]
    [TestCase(5, new[] { 1, 2, 3, 5 })]
    [TestCase(2, new[] { 1, 2 })]
    public void StageSizes_Doubling_EndsAtWholeSplitWithoutRepeats(int items, int[] expected) =>
        Assert.That(new RacingOptions().StageSizes(items), Is.EqualTo(expected));

    [Test]
    public void ItemOrder_SameSeed_SamePermutation()
    {
        var order = new RacingOptions(Seed: 3).ItemOrder(50);
        Assert.That(order, Is.EquivalentTo(Enumerable.Range(0, 50)));
        Assert.That(new RacingOptions(Seed: 3).ItemOrder(50), Is.EqualTo(order));
        Assert.That(new RacingOptions(Seed: 4).ItemOrder(50), Is.Not.EqualTo(order));
    }

    [TestCase(0, 0.05)]
    [TestCase(13, 0.05)]
    [TestCase(4, 0.0)]
    [TestCase(4, 1.0)]
    public void Validate_OutOfRange_ThrowsUsage(int stages, double alpha) =>
        Assert.Throws<UsageException>(() => new RacingOptions(stages, alpha).Validate());

    [Test]
    public void Run_ClearlyDominatedRate_DroppedBeforeTheLastStage()
    {
        // Seed 1: the unpruned model and 0.5 at 0.8, 0.99 at chance (0.25); 64 items, 3 seeds.
        var racers = SimulatedRates.RacersAt([0m, 0.5m, 0.99m]);
        var simulated = new SimulatedRates(racers, [0.8, 0.8, 0.25], 64, 3, new Random(1));

        var race = RateRace.Run(racers, 64, simulated.Evaluate, new RacingOptions());

        var broken = race.Racers.Single(r => r.Racer.Rate == 0.99m);
        Assert.That(broken.DroppedAt, Is.Not.Null.And.LessThan(4));
        Assert.That(race.Racers.Where(r => r.Racer.Rate != 0.99m).Select(r => r.DroppedAt), Is.All.Null);
        Assert.That(race.Drops.Single().HolmP, Is.LessThanOrEqualTo(new RacingOptions().AlphaPerLook));
        // Survivors see all 64 items x 3 seeds; the dropped rate only the items of its stages.
        Assert.That(race.ItemForwards, Is.EqualTo(2 * 64 * 3 + broken.Scores.Items * 3));
        Assert.That(race.FullItemForwards, Is.EqualTo(3 * 64 * 3));
        Assert.That(race.BestRate, Is.EqualTo(simulated.FullSearchPick()));
    }

    [Test]
    public void Run_OneStage_ScoresEverythingAndPicksLikeFullSearch()
    {
        var racers = SimulatedRates.RacersAt(DemoRates);
        var simulated = new SimulatedRates(racers, [0.7, 0.7, 0.72, 0.76, 0.55, 0.35, 0.25], 40, 2, new Random(2));
        var race = RateRace.Run(racers, 40, simulated.Evaluate, new RacingOptions(Stages: 1));
        Assert.That(race.Drops, Is.Empty);
        Assert.That(race.ItemForwards, Is.EqualTo(race.FullItemForwards));
        Assert.That(race.BestRate, Is.EqualTo(simulated.FullSearchPick()));
    }

    [Test]
    public void Run_IdenticalRates_DropInAtMostAlphaOfReplications()
    {
        // Calibration: 7 rates all at 0.7, 128 items, 3 seeds, 300 replications (seeds 1000..1299). A drop here is a
        // false one; Holm over all pairs and alpha / 3 per look keep the family-wise rate at or below alpha 0.05.
        const int replications = 300;
        var racers = SimulatedRates.RacersAt(DemoRates);
        int withDrop = 0;
        for (int rep = 0; rep < replications; rep++)
        {
            var simulated = new SimulatedRates(racers, Enumerable.Repeat(0.7, racers.Count).ToList(), 128, 3, new Random(1000 + rep));
            if (RateRace.Run(racers, 128, simulated.Evaluate, new RacingOptions(Seed: rep)).Drops.Count > 0) withDrop++;
        }
        TestContext.Out.WriteLine($"identical rates: a rate dropped in {withDrop} of {replications} replications");
        Assert.That(withDrop, Is.LessThanOrEqualTo(0.05 * replications));
    }

    [TestCase("tiny-model attn 1 shape", new[] { 0.78, 0.78, 0.77, 0.85, 0.28, 0.29, 0.25 }, 0.95, 0.35)]
    [TestCase("two close leaders", new[] { 0.70, 0.70, 0.72, 0.74, 0.73, 0.55, 0.40 }, 0.95, 0.15)]
    public void Run_SimulatedCurve_AgreesWithFullSearchAndSaves(string name, double[] accuracies, double minAgreement, double minSaved)
    {
        // 200 replications (seeds 0..199) of 128 validation items x 3 seeds; racing item order seed = replication.
        const int replications = 200, items = 128;
        var racers = SimulatedRates.RacersAt(DemoRates);
        int agree = 0;
        double saved = 0;
        for (int rep = 0; rep < replications; rep++)
        {
            var simulated = new SimulatedRates(racers, accuracies, items, 3, new Random(rep));
            var race = RateRace.Run(racers, items, simulated.Evaluate, new RacingOptions(Seed: rep));
            if (race.BestRate == simulated.FullSearchPick()) agree++;
            saved += 1.0 - (double)race.ItemForwards / race.FullItemForwards;
        }
        TestContext.Out.WriteLine($"{name}: same xi* as the full search in {agree} of {replications}, item-forwards saved {saved / replications:P1}");
        Assert.That(agree, Is.GreaterThanOrEqualTo(minAgreement * replications));
        Assert.That(saved / replications, Is.GreaterThanOrEqualTo(minSaved));
    }
}
