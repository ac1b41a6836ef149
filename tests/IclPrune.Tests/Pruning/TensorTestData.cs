using System.Security.Cryptography;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Tests.Pruning;

/// <summary>Seeded random tensors, conversions to MathNet matrices, and a hash over parameters for restore checks.</summary>
static class TensorTestData
{
    public static Tensor Random(long rows, long columns, long seed, ScalarType dtype = ScalarType.Float32)
    {
        using var generator = new Generator((ulong)seed);
        return randn([rows, columns], generator: generator).to(dtype);
    }

    public static Matrix<double> ToMathNet(Tensor t)
    {
        double[] data = t.detach().to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        int rows = (int)t.shape[0], columns = (int)t.shape[1];
        return Matrix<double>.Build.Dense(rows, columns, (i, j) => data[i * columns + j]);
    }

    /// <summary>SHA-256 over every parameter's name, dtype, shape and raw bytes, in name order.</summary>
    public static string Hash(IReadOnlyDictionary<string, Parameter> parameters)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, p) in parameters.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{name}|{p.dtype}|{string.Join(",", p.shape)}|"));
            using var cpu = p.detach().cpu().contiguous();
            sha.AppendData(cpu.bytes);
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>Same dtype, shape and bits (NaN-safe: compares raw bytes).</summary>
    public static bool BitEqual(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.SequenceEqual(b.shape)) return false;
        using var ca = a.detach().cpu().contiguous();
        using var cb = b.detach().cpu().contiguous();
        return ca.bytes.SequenceEqual(cb.bytes);
    }

    public static Dictionary<string, Parameter> Parameters(params (string Name, Tensor Value)[] entries) =>
        entries.ToDictionary(e => e.Name, e => new Parameter(e.Value, requires_grad: false));
}
