using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IclPrune.Pruning;

/// <summary>
/// A SHA-256 of every parameter (name, dtype, shape and raw bytes, in name order): two equal digests mean bit-identical
/// weights. The NUnit library computes it before and after each pruned run to prove that <see cref="PruneScope"/>'s
/// restore was exact for the whole model, not only for the matrices it touched, since every later test of the
/// process shares that model.
/// </summary>
public static class ParameterDigest
{
    /// <summary>Bytes hashed per copy, so that a tensor above 2 GB never needs one span that large.</summary>
    const long ChunkBytes = 64L << 20;

    public static string Of(IReadOnlyDictionary<string, Parameter> parameters)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, parameter) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}\n{parameter.dtype}\n{string.Join(",", parameter.shape)}\n"));
            AppendBytes(hash, parameter);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Throws when the weights are no longer those that gave <paramref name="before"/>.</summary>
    public static void Verify(string before, IReadOnlyDictionary<string, Parameter> parameters, string what)
    {
        string after = Of(parameters);
        if (after != before)
            throw new InvalidOperationException(
                $"the weights were not restored bit-exactly {what}: parameter digest {before[..16]} before, {after[..16]} after. " +
                "Later evaluations in this process would run on a different model; this is a bug in the pruning restore.");
    }

    static void AppendBytes(IncrementalHash hash, Tensor parameter)
    {
        if (parameter.numel() == 0) return;
        using var scope = torch.NewDisposeScope();
        var flat = parameter.detach().cpu().contiguous().view(-1);
        long perChunk = Math.Max(1, ChunkBytes / parameter.ElementSize);
        for (long start = 0; start < flat.numel(); start += perChunk)
        {
            using var chunk = flat.narrow(0, start, Math.Min(perChunk, flat.numel() - start));
            hash.AppendData(chunk.bytes);
        }
    }
}
