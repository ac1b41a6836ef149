using TorchSharp;
using static TorchSharp.torch;

namespace IclPrune.Pruning;

/// <summary>
/// The exact thin SVD of one matrix (float32, on the weight's device), taken in the tall orientation because a wide
/// matrix decomposes ~3x slower than its transpose (TORCHSHARP.md). A = U diag(S) Vh, and when
/// <see cref="Transposed"/> the decomposed matrix is the stored one transposed. Every kept rank is a truncation of
/// these factors, which is what lets one decomposition serve a whole rate grid.
/// </summary>
public sealed class SvdFactors : IDisposable
{
    SvdFactors(Tensor u, Tensor s, Tensor vh, bool transposed)
    {
        U = u;
        S = s;
        Vh = vh;
        Transposed = transposed;
    }

    /// <summary>[m, k] with m &gt;= n, k = n.</summary>
    public Tensor U { get; }
    /// <summary>[k], descending.</summary>
    public Tensor S { get; }
    /// <summary>[k, n].</summary>
    public Tensor Vh { get; }
    public bool Transposed { get; }

    /// <summary>Decomposes <paramref name="matrix"/> [rows, cols] (any dtype) in float32; the factors outlive any dispose scope.</summary>
    public static SvdFactors Decompose(Tensor matrix)
    {
        if (matrix.dim() != 2) throw new ArgumentException($"SVD needs a 2-D matrix, got [{string.Join(", ", matrix.shape)}].");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        bool transposed = matrix.shape[0] < matrix.shape[1];
        var a = matrix.detach().to(ScalarType.Float32);
        if (transposed) a = a.t();
        var (u, s, vh) = linalg.svd(a.contiguous(), fullMatrices: false);
        var factors = new SvdFactors(u, s, vh, transposed);
        u.DetachFromDisposeScope();
        s.DetachFromDisposeScope();
        vh.DetachFromDisposeScope();
        return factors;
    }

    /// <summary>U_r diag(S_r) Vh_r in float32, in the stored orientation: [rows, cols] of the original matrix.</summary>
    public Tensor Reconstruct(int rank)
    {
        long k = S.shape[0];
        if (rank < 1 || rank > k) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"kept rank must be in 1..{k}.");
        using var scope = NewDisposeScope();
        var ur = U.narrow(1, 0, rank);                     // [m, r]
        var sr = S.narrow(0, 0, rank);                     // [r]
        var vhr = Vh.narrow(0, 0, rank);                   // [r, n]
        var approx = (ur * sr.unsqueeze(0)).matmul(vhr);   // [m, n]
        if (Transposed) approx = approx.t();
        return approx.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The rank-r factors A [rows, r] and B [r, cols] of the stored orientation with W_r = A B (float32); the singular
    /// values go into A. Used by the factorized export.
    /// </summary>
    public (Tensor A, Tensor B) Factor(int rank)
    {
        long k = S.shape[0];
        if (rank < 1 || rank > k) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"kept rank must be in 1..{k}.");
        using var scope = NewDisposeScope();
        var ur = U.narrow(1, 0, rank);                     // [m, r]
        var sr = S.narrow(0, 0, rank);                     // [r]
        var vhr = Vh.narrow(0, 0, rank);                   // [r, n]
        // Stored = U S Vh: A = U S, B = Vh. Stored = (U S Vh)^T = Vh^T S U^T: A = Vh^T S, B = U^T.
        var (a, b) = Transposed ? (vhr.t() * sr.unsqueeze(0), ur.t()) : (ur * sr.unsqueeze(0), vhr);
        return (a.contiguous().MoveToOuterDisposeScope(), b.contiguous().MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        U.Dispose();
        S.Dispose();
        Vh.Dispose();
    }
}
