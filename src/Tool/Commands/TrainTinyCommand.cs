using System.CommandLine;
using IclPrune.Models;
using IclPrune.Runtime;
using IclPrune.Synthetic;
using IclPrune.Tool.Cli;
using IclPrune.Training;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `dev train-tiny`: trains the bundled tiny GPT-2 on the synthetic ICL world and writes it as a Hugging Face folder.
/// The defaults reproduce the committed model (docs/tiny-model.md); the recipe options exist for experiments.
/// </summary>
public sealed class TrainTinyCommand : Command
{
    static readonly TinyTrainingOptions Defaults = new();
    static readonly Option<string> Out = new("--out") { Description = "Folder to write the model to.", DefaultValueFactory = _ => "tiny-model" };
    static readonly Option<int> Steps = new("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => Defaults.Steps };
    static readonly Option<int> Seed = new("--seed") { Description = "Seed of the init and of the prompt stream.", DefaultValueFactory = _ => Defaults.Seed };
    static readonly Option<int> Batch = new("--batch") { Description = "Prompts per step.", DefaultValueFactory = _ => Defaults.BatchSize };
    static readonly Option<double> LearningRate = new("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
    static readonly Option<int> Layers = new("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => Defaults.Layers };
    static readonly Option<int> Embedding = new("--embd") { Description = "Hidden size.", DefaultValueFactory = _ => Defaults.Embedding };
    static readonly Option<int> Heads = new("--heads") { Description = "Attention heads.", DefaultValueFactory = _ => Defaults.Heads };
    static readonly Option<int> EasySteps = new("--easy-steps") { Description = "Steps of short single-template exact-repeat prompts first.", DefaultValueFactory = _ => Defaults.WarmupPhaseSteps };
    static readonly Option<bool> NoisePositions = new("--noise-positions") { Description = "Initialise wpe with noise (GPT-2's init) instead of sinusoids." };
    static readonly Option<int> EasyTemplates = new("--easy-templates") { Description = "Templates in the easy phase (1: plain only, 4: all).", DefaultValueFactory = _ => Defaults.EasyTemplates };
    static readonly Option<int> Templates = new("--templates") { Description = "Templates after the easy phase (1: plain only, 4: all).", DefaultValueFactory = _ => Defaults.Templates };
    static readonly Option<int> MaxDemonstrations = new("--max-demos") { Description = "Most demonstrations per prompt after the easy phase.", DefaultValueFactory = _ => Defaults.MaxDemonstrations };
    static readonly Option<string?> Init = new("--init") { Description = "Start from this model folder (e.g. OUT/last of an interrupted run) instead of a fresh init." };
    static readonly Option<int> RepeatSteps = new("--repeat-steps") { Description = "Steps of exact-repeat prompts only before category prompts mix in.", DefaultValueFactory = _ => Defaults.RepeatOnlySteps };
    static readonly Option<double> FinalRepeat = new("--final-repeat") { Description = "Share of exact-repeat prompts at the end.", DefaultValueFactory = _ => Defaults.FinalRepeatFraction };
    static readonly Option<int> EvaluateEvery = new("--eval-every") { Description = "Steps between ICL evaluations (the best one is kept).", DefaultValueFactory = _ => Defaults.EvaluateEvery };
    static readonly Option<int> Threads = new("--threads") { Description = "Torch threads (0: torch's default).", DefaultValueFactory = _ => Defaults.Threads };

    readonly CliConsole _console;

    public TrainTinyCommand(CliConsole console) : base("train-tiny", "Train the bundled tiny GPT-2 on synthetic in-context-learning tasks.")
    {
        _console = console;
        foreach (var option in new Option[] { Out, Steps, Seed, Batch, LearningRate, Layers, Embedding, Heads, EasySteps, EasyTemplates, Templates, MaxDemonstrations, Init, NoisePositions, RepeatSteps, FinalRepeat, EvaluateEvery, Threads })
            Options.Add(option);
        SetAction((parse, cancellation) => Task.FromResult(Execute(parse, cancellation)));
    }

    int Execute(ParseResult parse, CancellationToken cancellation)
    {
        TorchRuntime.EnsureInitialized(parse.GetValue(GlobalOptions.LibTorch));
        var options = new TinyTrainingOptions
        {
            Steps = parse.GetValue(Steps), Seed = parse.GetValue(Seed), BatchSize = parse.GetValue(Batch),
            LearningRate = parse.GetValue(LearningRate), MinLearningRate = parse.GetValue(LearningRate) / 10,
            Layers = parse.GetValue(Layers), Embedding = parse.GetValue(Embedding), Heads = parse.GetValue(Heads),
            InitFrom = parse.GetValue(Init), EasyTemplates = parse.GetValue(EasyTemplates), Templates = parse.GetValue(Templates),
            MaxDemonstrations = parse.GetValue(MaxDemonstrations), WarmupPhaseSteps = parse.GetValue(EasySteps), SinusoidalPositions = !parse.GetValue(NoisePositions), RepeatOnlySteps = parse.GetValue(RepeatSteps), FinalRepeatFraction = parse.GetValue(FinalRepeat),
            EvaluateEvery = parse.GetValue(EvaluateEvery), Threads = parse.GetValue(Threads),
        };
        string folder = Path.GetFullPath(parse.GetValue(Out)!);
        var world = SyntheticWorld.Create();
        var vocabulary = new ByteLevelBpeVocabulary(world.SingleTokenWords);
        var trainer = new TinyTrainer(world, vocabulary);
        var config = new TinyGpt2Config(vocabulary.Count, options.Positions, options.Embedding, options.Layers, options.Heads);
        using var result = trainer.Train(options, score => _console.Progress.MarkupLineInterpolated(
            $"step {score.Step,6}  loss {score.Loss:F3} (in-context {score.InContextLoss:F3})  {string.Join("  ", score.Accuracy.Select(kv => $"{kv.Key} {kv.Value:F3}"))}  ({score.Seconds:F0} s)"),
            cancellation,
            (score, weights) => TinyModelFolder.WriteWeights(folder, config, weights, vocabulary),
            (score, weights) => TinyModelFolder.WriteWeights(Path.Combine(folder, "last"), config, weights, vocabulary));
        TinyModelFolder.Write(folder, result, options, world, vocabulary);
        // Measured on the written folder through the HF loader: what `--model tiny` users get.
        using (var written = ModelLoader.Load(folder)) MeasureSyntheticCommand.Report(_console, written);
        _console.Results.MarkupLineInterpolated($"best step {result.Best.Step}: mean accuracy {result.Best.Mean:F3}; wrote {folder}");
        return ExitCodes.Success;
    }
}
