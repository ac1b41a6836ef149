using IclPrune.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Models;

/// <summary>
/// Strict loading of a checkpoint into a model built from its config: every parameter must come from exactly one
/// checkpoint tensor of exactly the expected shape, every checkpoint tensor must be a parameter or a known
/// non-weight. All of that is checked on the headers before any tensor is read, so a wrong file fails fast with
/// the full list of problems, and no mis-shaped tensor ever reaches a native matmul.
/// </summary>
internal static class WeightLoader
{
    const int ListedProblems = 12;

    public static void Load(DecoderModel model, ICheckpointReader checkpoint, ModelLoadOptions options)
    {
        var parameters = model.NamedParameters;
        var source = new Dictionary<string, string>(StringComparer.Ordinal); // parameter -> checkpoint key
        var unexpected = new List<string>();
        var problems = new List<string>();
        foreach (var key in checkpoint.TensorNames.Order(StringComparer.Ordinal))
        {
            var name = model.CanonicalKey(key);
            if (name is null)
                continue;
            if (!parameters.ContainsKey(name))
                unexpected.Add(key);
            else if (source.TryGetValue(name, out var other))
                problems.Add($"'{key}' and '{other}' both provide parameter '{name}'");
            else
                source[name] = key;
        }
        var missing = parameters.Keys.Where(p => !source.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
        foreach (var (name, key) in source)
        {
            var entry = checkpoint.Describe(key);
            var expected = parameters[name].shape;
            if (!entry.Shape.SequenceEqual(expected))
                problems.Add($"'{key}' has shape [{string.Join(", ", entry.Shape)}] but the config needs [{string.Join(", ", expected)}]");
            else if (!IsFloating(entry.DType))
                problems.Add($"'{key}' has dtype {SafetensorsDType.NameOf(entry.DType)}; weights must be F32, F16 or BF16");
        }
        if (missing.Count + unexpected.Count + problems.Count > 0)
            throw new IclPruneException(Describe(checkpoint.Folder, model.Config.ModelType, missing, unexpected, problems));

        using var noGrad = torch.no_grad();
        foreach (var (name, key) in source)
        {
            using var tensor = checkpoint.Read(key, options.DType, options.ResolvedDevice);
            parameters[name].copy_(tensor);
        }
    }

    static bool IsFloating(ScalarType type) => type is ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float64;

    static string Describe(string folder, string modelType, List<string> missing, List<string> unexpected, List<string> problems)
    {
        var lines = new List<string> { $"{folder}: the weights do not match a {modelType} model built from its config.json." };
        void Add(string title, List<string> items)
        {
            if (items.Count == 0)
                return;
            lines.Add($"{title} ({items.Count}): {string.Join(", ", items.Take(ListedProblems))}{(items.Count > ListedProblems ? ", ..." : "")}");
        }
        Add("missing keys", missing);
        Add("unexpected keys", unexpected);
        Add("problems", problems);
        return string.Join(Environment.NewLine, lines);
    }
}
