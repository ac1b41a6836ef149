using IclPrune.Models;
using IclPrune.Pruning;
using IclPrune.Reports;
using IclPrune.Tests.Models;
using MathNet.Numerics.LinearAlgebra;

namespace IclPrune.Tests.Pruning;

public sealed class SpectraAnalysisTests
{
    [Test]
    public void Analyze_TinyGpt2_EveryLayerAndRoleAgainstMathNet()
    {
        using var checkpoint = Gpt2Checkpoints.Create();
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        var parameters = loaded.Model.NamedParameters;
        var map = PruneTargetMaps.For(loaded.Model.Description, parameters.Keys);
        var spectra = SpectraAnalysis.Analyze(parameters, map, Gpt2Checkpoints.Layers, RateGrid.Paper);

        Assert.That(spectra.Matrices, Has.Count.EqualTo(Gpt2Checkpoints.Layers * 6));   // q, k, v, o, fc_in, fc_out
        var k1 = spectra.Matrices.Single(m => m.Layer == 1 && m.Target == "k");
        Assert.That(k1.Matrix, Is.EqualTo("transformer.h.1.attn.c_attn.weight[k]"));
        // Reference: MathNet float64 singular values of the k columns [24, 24..48) of the float32 checkpoint weights.
        var w = checkpoint.Weights["h.1.attn.c_attn.weight"];
        double[] sigma = TensorTestData.ToMathNet(w.narrow(1, Gpt2Checkpoints.Hidden, Gpt2Checkpoints.Hidden)).Svd(false).S.ToArray();
        Assert.That(k1.SigmaMax, Is.EqualTo(sigma[0]).Within(1e-9).Percent);
        Assert.That(k1.SigmaMin, Is.EqualTo(sigma[^1]).Within(1e-7).Percent);
        Assert.That(k1.ConditionNumber, Is.EqualTo(sigma[0] / sigma[^1]).Within(1e-7).Percent);
        // Energy kept at xi = 0.5: rank 12 of 24.
        var half = k1.EnergyKept.Single(e => e.Amount == "0.5");
        Assert.That(half.Rank, Is.EqualTo(12));
        Assert.That(half.EnergyKept, Is.EqualTo(sigma.Take(12).Sum(s => s * s) / sigma.Sum(s => s * s)).Within(1e-10));
        Assert.That(k1.EnergyKept.Single(e => e.Amount == "0").EnergyKept, Is.EqualTo(1.0).Within(1e-12));
    }

    [Test]
    public void FromSingularValues_EffectiveRank_FlatIsFullAndRankOneIsOne()
    {
        var flat = MatrixSpectrum.FromSingularValues("m", 0, "q", 8, 8, Enumerable.Repeat(2.0, 8).ToArray(), []);
        Assert.That(flat.EffectiveRank, Is.EqualTo(8).Within(1e-12));
        Assert.That(flat.ConditionNumber, Is.EqualTo(1));
        var one = MatrixSpectrum.FromSingularValues("m", 0, "q", 8, 8, [3, 0, 0, 0, 0, 0, 0, 0], []);
        Assert.That(one.EffectiveRank, Is.EqualTo(1).Within(1e-12));
        Assert.That(one.ConditionNumber, Is.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public void Report_JsonAndPng_Written()
    {
        using var checkpoint = Gpt2Checkpoints.Create();
        using var loaded = ModelLoader.Load(checkpoint.Folder);
        var parameters = loaded.Model.NamedParameters;
        var spectra = SpectraAnalysis.Analyze(parameters, PruneTargetMaps.For(loaded.Model.Description, parameters.Keys), 2, [0m, 0.9m]);
        string folder = Directory.CreateTempSubdirectory("icl-spectra-").FullName;
        try
        {
            string png = Path.Combine(folder, "spectra.png");
            SpectraReport.SavePlot(spectra, png);
            Assert.That(new FileInfo(png).Length, Is.GreaterThan(1000));
            string json = SpectraReport.Json(spectra);
            Assert.That(json, Does.Contain("\"condition_number\"").And.Contain("transformer.h.0.mlp.c_fc.weight"));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
