using IclPrune.Pruning;
using MathNet.Numerics.LinearAlgebra;

namespace IclPrune.Tests.Pruning;

/// <summary>
/// The truncated SVD against an independent float64 implementation (MathNet). Tolerances are relative to ||W||_F and
/// sized for float32 arithmetic on matrices of a few dozen rows (observed errors ~1e-7; bound 1e-5).
/// </summary>
public sealed class SvdFactorsTests
{
    const double Tolerance = 1e-5;

    [TestCase(40, 24, 7)]
    [TestCase(24, 40, 7)]   // wide: decomposed transposed
    [TestCase(32, 32, 1)]
    [TestCase(32, 32, 31)]
    public void Reconstruct_MatchesFloat64TruncatedSvd(int rows, int columns, int rank)
    {
        using var w = TensorTestData.Random(rows, columns, seed: rows * 100 + columns);
        using var factors = SvdFactors.Decompose(w);
        using var approx = factors.Reconstruct(rank);
        Assert.That(approx.shape, Is.EqualTo(new long[] { rows, columns }));

        var a = TensorTestData.ToMathNet(w);
        var svd = a.Svd(computeVectors: true);
        var reference = svd.U.SubMatrix(0, rows, 0, rank)
            * Matrix<double>.Build.DiagonalOfDiagonalArray(svd.S.SubVector(0, rank).ToArray())
            * svd.VT.SubMatrix(0, rank, 0, columns);
        double error = (TensorTestData.ToMathNet(approx) - reference).FrobeniusNorm() / a.FrobeniusNorm();
        Assert.That(error, Is.LessThan(Tolerance));
    }

    [TestCase(48, 20, 5)]
    [TestCase(20, 48, 12)]
    public void Reconstruct_FrobeniusErrorIsNormOfDroppedSingularValues(int rows, int columns, int rank)
    {
        using var w = TensorTestData.Random(rows, columns, seed: 5);
        using var factors = SvdFactors.Decompose(w);
        using var approx = factors.Reconstruct(rank);
        var a = TensorTestData.ToMathNet(w);
        double[] sigma = a.Svd(computeVectors: false).S.ToArray();
        double eckartYoung = Math.Sqrt(sigma.Skip(rank).Sum(s => s * s));
        double error = (a - TensorTestData.ToMathNet(approx)).FrobeniusNorm();
        Assert.That(Math.Abs(error - eckartYoung) / a.FrobeniusNorm(), Is.LessThan(Tolerance));
    }

    [TestCase(30, 18, 1)]
    [TestCase(30, 18, 9)]
    [TestCase(18, 30, 17)]
    public void Reconstruct_HasRankR(int rows, int columns, int rank)
    {
        using var w = TensorTestData.Random(rows, columns, seed: 11);
        using var factors = SvdFactors.Decompose(w);
        using var approx = factors.Reconstruct(rank);
        double[] sigma = TensorTestData.ToMathNet(approx).Svd(computeVectors: false).S.ToArray();
        // Singular values beyond r are float32 round-off: below 1e-5 of sigma_max.
        int numericalRank = sigma.Count(s => s > 1e-5 * sigma[0]);
        Assert.That(numericalRank, Is.EqualTo(rank));
    }

    [Test]
    public void Reconstruct_RankOutOfRange_Throws()
    {
        using var w = TensorTestData.Random(6, 4, seed: 1);
        using var factors = SvdFactors.Decompose(w);
        Assert.Throws<ArgumentOutOfRangeException>(() => factors.Reconstruct(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => factors.Reconstruct(0));
    }
}
