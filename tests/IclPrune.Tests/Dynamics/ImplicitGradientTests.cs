using IclPrune.Dynamics;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Tasks;
using IclPrune.Models;
using IclPrune.Pruning;
using static TorchSharp.torch;

namespace IclPrune.Tests.Dynamics;

public sealed class ImplicitGradientTests
{
    // Reference: the definition written out with plain double loops, token by token and head by head:
    // dW^h += (W_V^h h_i)(W_K^h h_i)^T W_Q^h, blocks stacked, G_t = dW_t (I + sum_{j<t} G_j).
    static (double[] DeltaW, double[] G, double[][] Heads) Direct(double[][][] hidden, double[][][][] w, int heads)
    {
        int layers = hidden.Length, d = hidden[0][0].Length, dh = d / heads;
        var sum = new double[d, d];
        var deltaNorms = new double[layers];
        var gNorms = new double[layers];
        var headNorms = new double[layers][];
        for (int t = 0; t < layers; t++)
        {
            double[][] q = w[t][0], k = w[t][1], v = w[t][2];
            var deltaW = new double[d, d];
            headNorms[t] = new double[heads];
            for (int h = 0; h < heads; h++)
            {
                foreach (var x in hidden[t])
                {
                    var vx = new double[dh];
                    var kx = new double[dh];
                    for (int r = 0; r < dh; r++)
                        for (int c = 0; c < d; c++)
                        {
                            vx[r] += v[h * dh + r][c] * x[c];
                            kx[r] += k[h * dh + r][c] * x[c];
                        }
                    var kq = new double[d]; // (W_K^h x)^T W_Q^h
                    for (int c = 0; c < d; c++)
                        for (int r = 0; r < dh; r++) kq[c] += kx[r] * q[h * dh + r][c];
                    for (int r = 0; r < dh; r++)
                        for (int c = 0; c < d; c++) deltaW[h * dh + r, c] += vx[r] * kq[c];
                }
                double squares = 0;
                for (int r = 0; r < dh; r++)
                    for (int c = 0; c < d; c++) squares += deltaW[h * dh + r, c] * deltaW[h * dh + r, c];
                headNorms[t][h] = Math.Sqrt(squares);
            }
            var g = new double[d, d];
            for (int r = 0; r < d; r++)
                for (int c = 0; c < d; c++)
                {
                    double acc = deltaW[r, c]; // the identity term
                    for (int m = 0; m < d; m++) acc += deltaW[r, m] * sum[m, c];
                    g[r, c] = acc;
                }
            double dn = 0, gn = 0;
            for (int r = 0; r < d; r++)
                for (int c = 0; c < d; c++)
                {
                    dn += deltaW[r, c] * deltaW[r, c];
                    gn += g[r, c] * g[r, c];
                    sum[r, c] += g[r, c];
                }
            deltaNorms[t] = Math.Sqrt(dn);
            gNorms[t] = Math.Sqrt(gn);
        }
        return (deltaNorms, gNorms, headNorms);
    }

    // The bundled tiny model's real attention weights (2 layers, D 64, 4 heads) with seeded random demonstration
    // states (N 7); the tensor implementation and the loops agree to 1e-9 relative (both float64; only summation order differs).
    [Test]
    public void Compute_TinyModelWeights_MatchesDirectFloat64Loops()
    {
        using var loaded = ModelLoader.Load("tiny");
        int layers = loaded.Model.Description.NumLayers, heads = loaded.Model.Description.NumHeads, d = loaded.Model.Description.HiddenSize;
        var random = new Random(7);
        var hidden = Enumerable.Range(0, layers).Select(_ => Enumerable.Range(0, 7)
            .Select(_ => Enumerable.Range(0, d).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray()).ToArray();
        var weights = Enumerable.Range(0, layers).Select(l =>
        {
            var w = loaded.Model.NamedParameters[$"transformer.h.{l}.attn.c_attn.weight"].detach().to(ScalarType.Float64).T; // [3D, D]
            var rows = Enumerable.Range(0, 3 * d).Select(r => w[r].data<double>().ToArray()).ToArray();
            return Enumerable.Range(0, 3).Select(part => rows.Skip(part * d).Take(d).ToArray()).ToArray();
        }).ToArray();

        var actual = ImplicitGradient.Compute(
            hidden.Select(h => tensor(h.SelectMany(x => x).ToArray(), [h.Length, d], ScalarType.Float64)).ToList(),
            weights.Select(w => new AttentionProjections(Matrix(w[0]), Matrix(w[1]), Matrix(w[2]))).ToList(), heads);
        var (deltaW, g, headNorms) = Direct(hidden, weights, heads);

        for (int t = 0; t < layers; t++)
        {
            Assert.That(actual[t].DeltaWNorm, Is.EqualTo(deltaW[t]).Within(1e-9).Percent, $"||dW_{t}||");
            Assert.That(actual[t].AccumulatedNorm, Is.EqualTo(g[t]).Within(1e-9).Percent, $"||G_{t}||");
            for (int h = 0; h < heads; h++)
                Assert.That(actual[t].HeadDeltaWNorms[h], Is.EqualTo(headNorms[t][h]).Within(1e-9).Percent, $"||dW_{t}^{h}||");
        }
    }

    static Tensor Matrix(double[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length], ScalarType.Float64);

    // Pruning layer 1's attention cannot change what enters layer 0, so ||dW_0|| is unchanged; layer 1's update changes.
    [Test]
    public void Measure_PruneLastAttention_OnlyLastLayerUpdateChanges()
    {
        using var loaded = ModelLoader.Load("tiny");
        var data = TaskDataset.Load(TaskCatalog.Get("synth-4way-noisy"), null);
        var before = IclDynamics.Measure(loaded, data, [0, 1]);

        using (var pruner = new Pruner(loaded.Model.NamedParameters, cacheSvd: false))
            pruner.ApplyPermanently(PrunePlan.For(loaded.Model, [PruneSpec.Parse("attn@1:0.9")]));
        var after = IclDynamics.Measure(loaded, data, [0, 1]);

        Assert.That(before.Layers, Has.Count.EqualTo(2));
        Assert.That(before.Layers.All(l => l.DeltaWNorm > 0 && double.IsFinite(l.AccumulatedNorm)), Is.True);
        Assert.That(after.Layers[0].DeltaWNorm, Is.EqualTo(before.Layers[0].DeltaWNorm).Within(1e-9).Percent);
        Assert.That(after.Layers[1].DeltaWNorm, Is.Not.EqualTo(before.Layers[1].DeltaWNorm).Within(1e-3).Percent);
    }
}
