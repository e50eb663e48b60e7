// IGemm: the one interface every matrix multiply in ReasonRL goes through (docs/conventions.md §6, §10).
// What it is: row-major single-precision GEMM, C = op(A)·op(B) (+ C when accumulating), with
// leading dimensions so strided sub-matrices (one attention head inside [T, H·D]) need no copy.
// What it is not: a batched or mixed-precision API. Implementations: ReferenceGemm (plain loops),
// ManagedGemm (packed, cache-blocked, Vector256 FMA, multi-threaded; the default), OpenBlasGemm
// (cblas_sgemm, chosen explicitly). GemmFactory picks one by GemmKind.
// Glossary: M rows of C, N columns of C, K the contracted dimension.
// Reference: BLAS sgemm semantics (row-major CBLAS), Goto & van de Geijn 2008 (packing, blocking).
namespace ReasonRL.Tensors;

/// <summary>Whether an operand is used as stored or transposed.</summary>
public enum Transpose
{
    /// <summary>op(X) = X.</summary>
    No,
    /// <summary>op(X) = Xᵀ.</summary>
    Yes,
}

/// <summary>Which GEMM implementation to use; chosen explicitly by configuration.</summary>
public enum GemmKind
{
    /// <summary>Packed, blocked managed kernel (default; needs nothing native).</summary>
    Managed,
    /// <summary>OpenBLAS cblas_sgemm (Debian libopenblas0-pthread); fails clearly when absent.</summary>
    OpenBlas,
    /// <summary>Plain triple loop (tests only; slow).</summary>
    Reference,
}

/// <summary>Row-major SGEMM: C[M,N] = op(A)[M,K] · op(B)[K,N], plus C's old value when accumulating.</summary>
public interface IGemm
{
    /// <summary>Short name for reports ("managed", "openblas", "reference").</summary>
    string Name { get; }

    /// <summary>
    /// C[i·ldc + j] = (accumulate ? C[i·ldc + j] : 0) + Σ_p op(A)(i,p)·op(B)(p,j), where
    /// op(A)(i,p) = transA == No ? a[i·lda + p] : a[p·lda + i] and
    /// op(B)(p,j) = transB == No ? b[p·ldb + j] : b[j·ldb + p].
    /// </summary>
    /// <param name="a">A: [M, K] (or [K, M] when transposed), row stride <paramref name="lda"/>.</param>
    /// <param name="b">B: [K, N] (or [N, K] when transposed), row stride <paramref name="ldb"/>.</param>
    /// <param name="c">C: [M, N], row stride <paramref name="ldc"/>.</param>
    void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        bool accumulate, Span<float> c, int ldc);
}

/// <summary>Argument checks shared by the GEMM implementations.</summary>
public static class GemmChecks
{
    /// <summary>Throws naming the operand whose span is too short for its shape and stride.</summary>
    public static void Validate(Transpose transA, Transpose transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"gemm: negative size m={m} n={n} k={k}");
        int aRows = transA == Transpose.No ? m : k, aCols = transA == Transpose.No ? k : m;
        int bRows = transB == Transpose.No ? k : n, bCols = transB == Transpose.No ? n : k;
        Check("A", aRows, aCols, aLength, lda);
        Check("B", bRows, bCols, bLength, ldb);
        Check("C", m, n, cLength, ldc);

        static void Check(string name, int rows, int cols, int length, int ld)
        {
            if (rows == 0 || cols == 0) return;
            if (ld < cols) throw new ArgumentException($"gemm: leading dimension of {name} is {ld}, expected >= {cols}");
            long need = (long)(rows - 1) * ld + cols;
            if (length < need) throw new ArgumentException($"gemm: {name} [{rows}, {cols}] with stride {ld} needs {need} floats, span has {length}");
        }
    }
}

/// <summary>Explicit construction of a GEMM by kind (no reflection, docs/conventions.md §11).</summary>
public static class GemmFactory
{
    /// <summary>The GEMM for <paramref name="kind"/>; OpenBlas throws when the library cannot be loaded.</summary>
    public static IGemm Create(GemmKind kind) => kind switch
    {
        GemmKind.Managed => new ManagedGemm(),
        GemmKind.OpenBlas => OpenBlasGemm.Create(),
        GemmKind.Reference => new ReferenceGemm(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "gemm kind must be Managed, OpenBlas or Reference"),
    };
}

/// <summary>Plain-loop SGEMM, accumulating in double: the scalar reference every GEMM is tested against.</summary>
public sealed class ReferenceGemm : IGemm
{
    public string Name => "reference";

    public void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        bool accumulate, Span<float> c, int ldc)
    {
        GemmChecks.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA == Transpose.No ? a[i * lda + p] : a[p * lda + i];
                    float bv = transB == Transpose.No ? b[p * ldb + j] : b[j * ldb + p];
                    sum += (double)av * bv;
                }
                c[i * ldc + j] = (float)sum;
            }
        }
    }
}
