using IclPrune.Models;
using IclPrune.Synthetic;
using IclPrune.Training;
using static TorchSharp.torch;

namespace IclPrune.Tests.Training;

public sealed class TinyModelFolderTests
{
    static readonly SyntheticWorld World = SyntheticWorld.Create(seed: 5, categories: 10, itemsPerCategory: 24, labelPool: 12);
    static readonly ByteLevelBpeVocabulary Vocabulary = new(World.SingleTokenWords);

    [Test]
    public void Write_TrainedWeights_LoadThroughHfLoaderWithSameLogitsAndTokens()
    {
        // Reference: the training module's own forward; the loader's GPT-2 is an independent implementation
        // (Models/Gpt2). Tolerance 1e-4 on logits of size ~1: float32 summation order differs between the two.
        var options = new TinyTrainingOptions { Seed = 3, Steps = 3, BatchSize = 4, Embedding = 32, Heads = 2, EvaluateEvery = 3, Threads = 0 };
        using var result = new TinyTrainer(World, Vocabulary).Train(options);
        string folder = Path.Combine(Path.GetTempPath(), $"tiny-{Guid.NewGuid():N}");
        try
        {
            TinyModelFolder.Write(folder, result, options, World, Vocabulary);
            using var loaded = ModelLoader.Load(folder);
            var template = SyntheticTemplate.Labelled;
            string prompt = template.Demonstration(World.Items[0][0], World.LabelWords[0]) + template.Query(World.Items[0][1]);
            int[] expectedIds = Vocabulary.Encode(prompt);
            Assert.That(loaded.Tokenizer.Encode(prompt), Is.EqualTo(expectedIds), "tokenizer.json encodes as the trainer's vocabulary");

            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            using var generator = new TorchSharp.torch.Generator(1);
            using var reference = new TinyGpt2(result.Config, generator);
            reference.load_state_dict(result.BestWeights.ToDictionary(kv => kv.Key, kv => kv.Value));
            var ids = tensor(expectedIds.Select(i => (long)i).ToArray(), [1, expectedIds.Length]);
            var want = reference.Logits(reference.forward(ids).squeeze(0));                 // [T,V]
            using var output = loaded.Model.Forward(new DecoderInput(ids));
            var got = loaded.Model.Logits(output.Hidden).squeeze(0);                          // [T,V]
            Assert.That(got.shape, Is.EqualTo(want.shape));
            Assert.That((got - want).abs().max().item<float>(), Is.LessThan(1e-4f));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
