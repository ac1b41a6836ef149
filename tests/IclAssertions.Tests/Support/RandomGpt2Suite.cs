using System.Text;
using System.Text.Json;

namespace IclAssertions.Tests.Support;

/// <summary>
/// A real checkpoint and a real task on disk for model-backed tests of the fluent API while the bundled tiny model is
/// not at hand: a random 2-layer GPT-2 (d 32) from the shared fixture writer with a byte-level tokenizer (256 byte
/// tokens, no merges, so every label word is several tokens), and a two-class task file with JSONL data. Accuracy is
/// whatever random weights give; the tests check identity, caching and weight restoration, not skill.
/// </summary>
sealed class RandomGpt2Suite : IDisposable
{
    public RandomGpt2Suite(long seed = 11)
    {
        Root = Directory.CreateTempSubdirectory("icl-assert-model-").FullName;
        DataFolder = Path.Combine(Root, "data");
        TaskFile = Path.Combine(Root, "polarity.yaml");
        Directory.CreateDirectory(DataFolder);
        _model = WriteCheckpoint(seed);
        WriteTask();
    }

    public string Root { get; }
    readonly TinyCheckpoint _model;

    public string ModelFolder => _model.Folder;
    public string DataFolder { get; }
    public string TaskFile { get; }

    // 256 byte tokens and <|endoftext|> (256, also BOS/EOS), no merges: every label word is several tokens.
    TinyCheckpoint WriteCheckpoint(long seed) => Gpt2Checkpoints.WithTokenizer(
        new Gpt2Sizes(Vocab: 0, Hidden: 32, Heads: 4, Layers: 2, Inner: 48, Positions: 256), seed,
        Gpt2ByteVocabulary.Create([], endOfText: true), specialTokenId: 256);

    void WriteTask()
    {
        File.WriteAllText(TaskFile, """
            id: polarity-random
            description: Two-class toy task for IclAssertions tests.
            type: classification
            columns:
              sentence: sentence
              label: label
            template:
              demonstration: "text: {sentence}\n sentiment : {label} \n"
              query: "text: {sentence}\n sentiment :"
              answer: " {label}"
              separator: ""
            labels:
              - word: pos
                values: [1]
              - word: neg
                values: [0]
            demonstrations:
              policy: balanced
              shots: 2
            splits:
              seed: 5
              demonstrations: {from: train, per_class: 2}
              validation: {from: train, rest: true}
              test: {from: test}
            """);
        string[] good = ["a fine film", "warm and funny", "a joy", "moving", "clever", "great fun", "lovely", "bright"];
        string[] bad = ["dull", "a mess", "tedious", "flat", "boring film", "weak", "grim", "lifeless"];
        var train = new StringBuilder();
        var test = new StringBuilder();
        for (int i = 0; i < 8; i++)
        {
            var target = i < 4 ? train : test;
            target.AppendLine(JsonSerializer.Serialize(new { sentence = good[i], label = 1 }));
            target.AppendLine(JsonSerializer.Serialize(new { sentence = bad[i], label = 0 }));
        }
        File.WriteAllText(Path.Combine(DataFolder, "train.jsonl"), train.ToString());
        File.WriteAllText(Path.Combine(DataFolder, "test.jsonl"), test.ToString());
    }

    public void Dispose()
    {
        _model.Dispose();
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
