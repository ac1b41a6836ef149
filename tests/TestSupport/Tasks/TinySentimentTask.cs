namespace IclPrune.TestSupport.Tasks;

/// <summary>
/// The tiny two-class sentiment task of the tests: label words " pos" / " neg" (single tokens with
/// <see cref="Tokenizers.Gpt2ByteVocabulary"/> when asked for), JSONL rows made of a few adjectives, balanced
/// demonstrations. Accuracy on it is whatever random weights give: tests check mechanics, not skill.
/// </summary>
public static class TinySentimentTask
{
    public const string Id = "tiny-sentiment";

    static readonly string[] Adjectives = ["fine", "dull", "bright", "slow", "odd", "warm", "cold", "loud", "calm", "grim", "kind"];

    /// <summary>The task file; <paramref name="trimFields"/> adds trim_fields (for rows written with padding).</summary>
    public static string Yaml(int shots = 4, int validationPerClass = 10, int splitSeed = 5, bool trimFields = false) => $$"""
        id: {{Id}}
        type: classification
        columns: {sentence: text}
        {{(trimFields ? "trim_fields: true" : "")}}
        template:
          demonstration: "text: {sentence}\n sentiment : {label} \n"
          query: "text: {sentence}\n sentiment :"
        labels:
          - {word: pos, values: [1]}
          - {word: neg, values: [0]}
        demonstrations: {policy: balanced, shots: {{shots}}}
        splits:
          seed: {{splitSeed}}
          validation: {from: train, per_class: {{validationPerClass}}}
          demonstrations: {from: train, rest: true}
          test: {from: test}
        """;

    /// <summary>Adjective i of the fixed list, cycling with a stride so neighbouring rows differ.</summary>
    public static string Adjective(int i) => Adjectives[(i * 7 + 3) % Adjectives.Length];

    /// <summary>JSONL rows {"text", "label"}; <paramref name="padded"/> surrounds the text with spaces (for trim_fields).</summary>
    public static IEnumerable<string> Rows(string split, int count, bool padded = false)
    {
        string pad = padded ? " " : "";
        return Enumerable.Range(0, count).Select(i =>
            $$"""{"text": "{{pad}}the {{split}} {{i}} was {{Adjective(i)}} and {{Adjective(i * 3 + 1)}}{{pad}}", "label": {{(i * 5 + 1) % 2}}}""");
    }

    /// <summary>task.yaml, train.jsonl and test.jsonl in <paramref name="folder"/>; returns the task path.</summary>
    public static string Write(string folder, int trainItems = 40, int testItems = 30)
    {
        File.WriteAllLines(Path.Combine(folder, "train.jsonl"), Rows("train", trainItems));
        File.WriteAllLines(Path.Combine(folder, "test.jsonl"), Rows("test", testItems));
        string task = Path.Combine(folder, "task.yaml");
        File.WriteAllText(task, Yaml());
        return task;
    }
}
