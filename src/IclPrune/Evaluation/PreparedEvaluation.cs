using System.Diagnostics;
using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Prompts;
using IclPrune.Evaluation.Scoring;
using IclPrune.Evaluation.Statistics;
using IclPrune.Evaluation.Tasks;
using IclPrune.Models;
using IclPrune.Tokenization;

namespace IclPrune.Evaluation;

/// <summary>
/// Everything about an evaluation that does not depend on the model's weights, computed once: the scored items, each
/// seed's demonstrations, every prompt as token ids (shortened to fit the context where needed). Run it as often as
/// needed, e.g. once per pruning configuration of the same model; each run only does forward passes.
/// </summary>
public sealed class PreparedEvaluation
{
    readonly IReadOnlyList<SeedPrompts> _seeds;
    readonly AnswerScoring _scoring;
    readonly long[]? _labelIds;

    PreparedEvaluation(TaskDataset data, EvaluationOptions options, int shots, IReadOnlyList<Example> items,
        IReadOnlyList<SeedPrompts> seeds, AnswerScoring scoring, long[]? labelIds)
    {
        Data = data;
        Options = options;
        Shots = shots;
        Items = items;
        _seeds = seeds;
        _scoring = scoring;
        _labelIds = labelIds;
    }

    public TaskDataset Data { get; }
    public EvaluationOptions Options { get; }
    public int Shots { get; }

    /// <summary>The scored items in split order (after Limit); SeedResult.ItemCorrect[i] is about Items[i].</summary>
    public IReadOnlyList<Example> Items { get; }

    /// <summary>Prompts, summed over seeds, that lost demonstrations to fit the context.</summary>
    public int TruncatedPrompts => _seeds.Sum(s => s.TruncatedPrompts);

    /// <summary>The demonstrations drawn for a seed, in prompt order.</summary>
    public IReadOnlyList<Example> DemonstrationsOf(int seed) => _seeds.First(s => s.Seed == seed).Demonstrations;

    /// <summary>Tokenizes every prompt for <paramref name="tokenizer"/> and a context of <paramref name="maxPositions"/> tokens.</summary>
    internal static PreparedEvaluation Create(TaskDataset data, ITextTokenizer tokenizer, int maxPositions, EvaluationOptions options)
    {
        var task = data.Task;
        if (options.Seeds.Count == 0) throw new UsageException("no seeds given; expected at least one demonstration seed, e.g. 0,1,2.");
        if (options.Seeds.Distinct().Count() != options.Seeds.Count) throw new UsageException($"seeds {string.Join(",", options.Seeds)} repeat a seed.");
        if (options.BatchSize < 1) throw new UsageException($"batch size {options.BatchSize} must be at least 1.");
        if (options.TokensPerBatch is < 1) throw new UsageException($"tokens per batch {options.TokensPerBatch} must be at least 1.");
        int shots = options.Shots ?? task.Demonstrations.Shots;
        if (shots < 0) throw new UsageException($"shots {shots} is negative.");

        var items = data.Splits.Scored(options.Split);
        if (options.Limit is { } limit)
        {
            if (limit < 1) throw new UsageException($"item limit {limit} must be at least 1.");
            items = items.Take(limit).ToList();
        }
        if (items.Count == 0) throw new IclPruneException($"task {task.Id}: the {options.Split.Name()} split has no items to score.");

        var itemAnswers = items.Select((item, i) => TokenizedPrompts.Answers(task, tokenizer, item, i)).ToList();
        var labelIds = TokenizedPrompts.SingleTokenLabels(task, itemAnswers);
        var scoring = labelIds is not null ? AnswerScoring.SingleTokenLogit
            : task.Type == TaskType.Choice ? AnswerScoring.MeanLogProb : AnswerScoring.SumLogProb;
        var seeds = options.Seeds
            .Select(seed => TokenizedPrompts.Build(task, data.Splits.DemonstrationPool, items, itemAnswers, tokenizer, maxPositions, shots, seed, labelIds is not null))
            .ToList();
        int truncated = seeds.Sum(s => s.TruncatedPrompts);
        if (truncated > 0)
            options.Warning?.Invoke(
                $"{truncated} prompt(s) of task {task.Id} exceeded the model's context of {maxPositions} tokens and lost demonstrations (the query is never cut); recorded as truncated_prompts.");
        return new PreparedEvaluation(data, options, shots, items, seeds, scoring, labelIds);
    }

    /// <summary>
    /// Scores every seed on <paramref name="model"/> as its weights are now, and builds the result (the only place
    /// an <see cref="EvaluationResult"/> is assembled). Called by <see cref="EvaluationSession"/>, which owns the weights.
    /// </summary>
    internal EvaluationResult Run(ICausalLanguageModel model, ModelIdentity identity, IReadOnlyList<string> pruneSpecs,
        CancellationToken cancellation = default, IProgress<EvaluationProgress>? progress = null)
    {
        progress ??= Options.Progress;
        var clock = Stopwatch.StartNew();
        long total = (long)Items.Count * _seeds.Count, done = 0, tokens = 0;
        var perSeed = new List<SeedResult>();
        foreach (var seed in _seeds)
        {
            var scorer = new GroupScorer(model, _scoring, _labelIds, Options.BatchSize, Options.TokensPerBatch, Options.UseCache);
            var scores = new double[Items.Count][];
            foreach (var group in seed.Groups)
            {
                var groupScores = scorer.Score(group, count =>
                {
                    done += count;
                    progress?.Report(new EvaluationProgress(done, total, tokens + scorer.Tokens, clock.Elapsed));
                }, cancellation);
                foreach (var (index, values) in groupScores) scores[index] = values;
            }
            tokens += scorer.Tokens;
            NonFiniteScoresException.ThrowIfAny(Data.Task.Id, seed.Seed, scores);
            var correct = Items.Select((item, i) => Decision.IsCorrect(scores[i], item.Class)).ToArray();
            var predictions = scores.Select(Decision.Predict).ToArray();
            perSeed.Add(SeedAggregate.Seed(seed.Seed, correct) with { Predictions = predictions });
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var (mean, std) = SeedAggregate.MeanAndStd(perSeed.Select(s => s.Accuracy).ToList());
        var description = model.Description;
        return new EvaluationResult
        {
            Model = identity,
            Task = new TaskIdentity(Data.Task.Id, Options.Split.Name(), Data.Fingerprint),
            PruneSpecs = pruneSpecs,
            Shots = Shots,
            Seeds = perSeed.Select(s => s.Seed).ToList(),
            Device = description.Device,
            DType = ModelLoadOptions.DTypeName(description.DType),
            Backend = Runtime.TorchRuntime.Backend,
            Accuracy = mean,
            AccuracyStd = std,
            PerSeed = perSeed,
            Timing = new Timing(seconds, tokens, seconds > 0 ? tokens / seconds : 0),
            TruncatedPrompts = TruncatedPrompts,
            Items = Items.Select(i => $"{i.Split}:{i.Row}").ToList(),
            ItemKeys = Items.Select(ItemKey.Of).ToList(),
            ItemPreviews = Items.Select(ItemKey.Preview).ToList(),
            UsedCache = Options.UseCache,
            BatchSize = Options.BatchSize,
        };
    }

    /// <summary>Accuracy of always answering the most frequent gold class (the paper's MRPC result is exactly this).</summary>
    public double MajorityBaseline => (double)Items.GroupBy(i => i.Class).Max(g => g.Count()) / Items.Count;
}
