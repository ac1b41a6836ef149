using IclPrune.Evaluation;
using IclPrune.Pruning;
using IclPrune.Search;
using IclPrune.Tests.Pruning;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Tests.Search;

/// <summary>
/// A real evaluator for sweep tests: a residual MLP stack with GPT-J parameter names (d 16, inner 24, 3 layers),
/// pruned by the real pruner, classifying fixed random inputs into 4 classes (the first 4 hidden units). Labels are
/// the unpruned model's predictions with every 4th flipped, so the unpruned accuracy is about 0.75 and pruning moves it.
/// </summary>
sealed class TinyResidualClassifier : IDisposable
{
    public const int Hidden = 16, Inner = 24, Layers = 3, Classes = 4;
    readonly Dictionary<string, Parameter> _parameters;
    readonly Pruner _pruner;
    readonly IPruneTargetMap _map;
    readonly Dictionary<SplitRole, (Tensor X, long[] Labels)> _data = new();

    public TinyResidualClassifier(bool cacheSvd = true)
    {
        var entries = new List<(string, Tensor)>();
        for (int l = 0; l < Layers; l++)
        {
            entries.Add(($"transformer.h.{l}.mlp.fc_in.weight", TensorTestData.Random(Inner, Hidden, 10 + l) * 0.5));
            entries.Add(($"transformer.h.{l}.mlp.fc_out.weight", TensorTestData.Random(Hidden, Inner, 20 + l) * 0.5));
        }
        _parameters = TensorTestData.Parameters(entries.ToArray());
        _pruner = new Pruner(_parameters, cacheSvd);
        _map = PruneTargetMaps.For("gptj", Hidden, 4, _parameters.Keys);
        foreach (var (split, seed) in new[] { (SplitRole.Validation, 1), (SplitRole.Test, 2) })
        {
            var x = TensorTestData.Random(60, Hidden, 100 + seed);
            using var predicted = Forward(x);
            long[] labels = predicted.argmax(1).data<long>().ToArray();
            for (int i = 0; i < labels.Length; i += 4) labels[i] = (labels[i] + 1) % Classes;
            _data[split] = (x, labels);
        }
    }

    public int Evaluations { get; private set; }
    public IReadOnlyDictionary<string, Parameter> Parameters => _parameters;

    public EvaluationResult Evaluate(IReadOnlyList<PruneSpec> specs, SplitRole split)
    {
        Evaluations++;
        var plan = PrunePlan.Resolve(specs, _map, Layers, _parameters);
        using var scope = _pruner.Apply(plan);
        var (x, labels) = _data[split];
        using var logits = Forward(x);
        long[] predicted = logits.argmax(1).data<long>().ToArray();
        bool[] items = predicted.Select((p, i) => p == labels[i]).ToArray();
        return ConstructedResults.Of(specs.Select(s => s.ToString()).ToList(), split.ToString(), items);
    }

    Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var h = x;
        for (int l = 0; l < Layers; l++)
        {
            var inner = nn.functional.gelu(h.matmul(_parameters[$"transformer.h.{l}.mlp.fc_in.weight"].t()));   // [N, Inner]
            h = h + inner.matmul(_parameters[$"transformer.h.{l}.mlp.fc_out.weight"].t());                     // [N, Hidden]
        }
        return h.narrow(1, 0, Classes).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _pruner.Dispose();
        foreach (var (x, _) in _data.Values) x.Dispose();
    }
}
