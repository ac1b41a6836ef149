using IclPrune.Demo;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Tasks;
using IclPrune.Models;
using IclPrune.Pruning;
using IclPrune.Search;

namespace IclPrune.Tests.Search;

/// <summary>
/// Racing on the bundled tiny model with the demo's pruning task (synth-4way-noisy), rates and seeds (0-9), through
/// the real <see cref="EvaluationSession"/>. The sweep's four rows (attn/mlp x layer 0/1, test split: 56 items) are
/// scored whole once; racing is then replayed on those outcomes for 100 item orders per row, after checking that
/// scoring in slices gives exactly the whole split's outcomes and that one real race equals its replay. The printed
/// numbers are the ones docs/pruning.md and docs/tiny-model.md quote.
/// </summary>
[NonParallelizable]
public sealed class TinyModelRacingTests
{
    static readonly DemoOptions Demo = new() { OutFolder = "unused" };
    LoadedModel _loaded = null!;
    EvaluationSession _evaluator = null!;
    readonly Dictionary<string, EvaluationResult> _whole = new();

    [OneTimeSetUp]
    public void Load()
    {
        _loaded = ModelLoader.Load("tiny");
        var data = TaskDataset.Load(TaskCatalog.Get(Demo.PruningTask), null);
        _evaluator = new EvaluationSession(_loaded.Model, _loaded.Tokenizer, new ModelIdentity(_loaded.Id, _loaded.Fingerprint), data,
            new EvaluationOptions { Seeds = Demo.Seeds, BatchSize = Demo.BatchSize });
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _evaluator.Dispose();
        _loaded.Dispose();
    }

    [Test]
    public void RunItems_StageSlices_EqualWholeSplitOutcomes()
    {
        int items = _evaluator.ItemCount(SplitRole.Test);
        var options = new RacingOptions();
        var order = options.ItemOrder(items);
        foreach (IReadOnlyList<PruneSpec> specs in new[] { [], new[] { PruneSpec.Parse("attn@1:0.75") } })
        {
            var whole = Whole(specs);
            int seen = 0;
            foreach (int size in options.StageSizes(items))
            {
                var slice = order.Skip(seen).Take(size - seen).ToList();
                seen = size;
                var part = _evaluator.RunItems(specs, SplitRole.Test, slice);
                Assert.That(part.ItemKeys, Is.EqualTo(slice.Select(p => whole.ItemKeys![p])));
                Assert.That(part.Task, Is.EqualTo(whole.Task), "a slice keeps the whole task's identity");
                for (int s = 0; s < whole.PerSeed.Count; s++)
                    Assert.That(part.PerSeed[s].ItemCorrect, Is.EqualTo(slice.Select(p => whole.PerSeed[s].ItemCorrect[p])),
                        $"{string.Join(" ", specs)} seed {whole.PerSeed[s].Seed}, items {string.Join(",", slice)}");
            }
        }
    }

    [Test]
    public void Race_SweepRowsReplayedOver100ItemOrders_AgreesWithFullSearch()
    {
        const int orders = 100;
        int items = _evaluator.ItemCount(SplitRole.Test);
        int agree = 0, races = 0;
        long forwards = 0, full = 0;
        foreach (string module in ModuleConditions.Modules)
            for (int layer = 0; layer < _evaluator.Layers; layer++)
            {
                var racers = Demo.Rates.Select(r => new Racer(r, [Algorithm1.Spec(module, layer, r)])).Prepend(new Racer(0m, [])).ToList();
                PrunedSubsetEvaluator replay = (specs, _, positions) => Slice(Whole(specs), positions);
                var fullPick = RateRace.Run(racers, items, replay, new RacingOptions(Stages: 1)).BestRate;
                if (module == "attn" && layer == 1)
                {
                    // One real race (the row where pruning helps): slices scored by the model, not cut from whole results.
                    var real = RateRace.Run(racers, items, (specs, _, positions) => _evaluator.RunItems(specs, SplitRole.Test, positions),
                        new RacingOptions());
                    var replayed = RateRace.Run(racers, items, replay, new RacingOptions());
                    Assert.That((real.BestRate, real.ItemForwards), Is.EqualTo((replayed.BestRate, replayed.ItemForwards)), "real race vs replay");
                }

                int rowAgree = 0;
                long rowForwards = 0;
                for (int seed = 0; seed < orders; seed++)
                {
                    var race = RateRace.Run(racers, items, replay, new RacingOptions(Seed: seed));
                    if (race.BestRate == fullPick) rowAgree++;
                    rowForwards += race.ItemForwards;
                    full += race.FullItemForwards;
                }
                TestContext.Out.WriteLine($"{module} layer {layer}: full search xi* {fullPick}; racing agrees in {rowAgree} of {orders} item orders, " +
                    $"saves {1.0 - (double)rowForwards / (orders * (long)racers.Count * items * Demo.Seeds.Count):P1} of item-forwards");
                agree += rowAgree;
                forwards += rowForwards;
                races += orders;
            }
        double saved = 1.0 - (double)forwards / full;
        TestContext.Out.WriteLine($"all rows: racing agrees in {agree} of {races}, saves {saved:P1} of item-forwards");
        Assert.That(agree, Is.GreaterThanOrEqualTo(0.95 * races));
        Assert.That(saved, Is.GreaterThan(0.0));
    }

    /// <summary>The whole test split scored once per configuration for both tests (the model is the slow part).</summary>
    EvaluationResult Whole(IReadOnlyList<PruneSpec> specs)
    {
        string key = string.Join(" ", specs);
        if (!_whole.TryGetValue(key, out var result)) _whole[key] = result = _evaluator.Run(specs, SplitRole.Test);
        return result;
    }

    /// <summary>The whole-split result restricted to some positions, in their order (what RunItems returns for them).</summary>
    static EvaluationResult Slice(EvaluationResult whole, IReadOnlyList<int> positions) => whole with
    {
        ItemKeys = positions.Select(p => whole.ItemKeys![p]).ToList(),
        PerSeed = whole.PerSeed.Select(s => s with { ItemCorrect = positions.Select(p => s.ItemCorrect[p]).ToList() }).ToList(),
    };
}
