// PackedMatrix: a weight matrix W [N, K] repacked once into 32-column strips so that many small
// products y = x · Wᵀ (a decode step: M = a core's slice of the batch, often 1–64 rows) run a
// register-blocked micro-kernel without packing anything per call.
// What it is: strip s holds columns j ∈ [32s, 32s + 32) of Wᵀ as K rows of 32 floats (zero-padded past
// N), so one k step of an 8×32 output tile is 2 Vector512 loads, 8 broadcasts of x and 16 FMAs;
// x is read in place (row stride ldx). Serial: the caller splits rows across cores.
// What it is not: a general GEMM (ManagedGemm), or kept in sync with W — Pack again after W changes.
// Glossary: N output columns (W rows), K contracted dimension, M rows of x and y.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ReasonRL.Tensors;

/// <summary>Wᵀ in 32-wide K-major strips for repeated y[M, N] (+)= x[M, K] · W[N, K]ᵀ (see file header).</summary>
public sealed unsafe class PackedMatrix : IDisposable
{
    /// <summary>Strip width (columns of y per micro-tile): two Vector512.</summary>
    public const int StripWidth = 32;

    /// <summary>Rows of x per micro-tile: 8 rows × 32 columns = 16 Vector512 accumulators.</summary>
    private const int TileRows = 8;

    /// <summary>Rows of x per outer block (a multiple of TileRows): 64 rows of K ≤ 1536 floats stay in L2.</summary>
    private const int RowBlock = 64;

    private float* _data;   // [strips, K, 32]

    /// <summary>N: rows of W = columns of y.</summary>
    public int Rows { get; }

    /// <summary>K: columns of W = columns of x.</summary>
    public int Columns { get; }

    private int Strips => (Rows + StripWidth - 1) / StripWidth;

    /// <summary>Allocates (zeroed) room for a W of shape [rows, columns]; call <see cref="Pack"/> before multiplying.</summary>
    public PackedMatrix(int rows, int columns)
    {
        if (rows < 0 || columns < 0) throw new ArgumentException($"packed matrix: negative shape [{rows}, {columns}]");
        Rows = rows;
        Columns = columns;
        long length = (long)Strips * columns * StripWidth;
        nuint bytes = (nuint)Math.Max(1, length) * sizeof(float);
        _data = (float*)NativeMemory.AlignedAlloc(bytes, NativeSlab.Alignment);
        NativeMemory.Clear(_data, bytes);
    }

    /// <summary>Copies W [N, K] (row-major) into the strip layout: strip[s][p][c] = W[32s + c, p], 0 past N.</summary>
    public void Pack(ReadOnlySpan<float> weight)
    {
        ObjectDisposedException.ThrowIf(_data is null, this);
        if (weight.Length != (long)Rows * Columns)
            throw new ArgumentException($"packed matrix: weight has {weight.Length} floats, expected N·K = {Rows}·{Columns}");
        // the same [K, 32] strips ManagedGemm packs Bᵀ into (8×8 register transposes, zero-padded columns)
        fixed (float* w = weight)
            for (int s = 0; s < Strips; s++)
                ManagedGemm.PackStrip(StripWidth, true, w, Columns, Columns, Rows, s, _data + (long)s * Columns * StripWidth);
    }

    /// <summary>
    /// y[i·ldy + j] = (accumulate ? y[i·ldy + j] : 0) + Σ_p x[i·ldx + p] · W[j, p] for i &lt; M, j &lt; N,
    /// on the calling thread. x [M, K] with row stride ldx ≥ K; y [M, N] with row stride ldy ≥ N.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Multiply(ReadOnlySpan<float> x, int ldx, int m, bool accumulate, Span<float> y, int ldy)
    {
        ObjectDisposedException.ThrowIf(_data is null, this);
        int n = Rows, k = Columns;
        if (m < 0) throw new ArgumentException($"packed matrix: negative row count {m}");
        if (m == 0 || n == 0) return;
        if (ldx < k || ldy < n) throw new ArgumentException($"packed matrix: strides ldx {ldx}, ldy {ldy} must be >= K {k}, N {n}");
        if (x.Length < (long)(m - 1) * ldx + k) throw new ArgumentException($"packed matrix: x [{m}, {k}] with stride {ldx} needs {(long)(m - 1) * ldx + k} floats, span has {x.Length}");
        if (y.Length < (long)(m - 1) * ldy + n) throw new ArgumentException($"packed matrix: y [{m}, {n}] with stride {ldy} needs {(long)(m - 1) * ldy + n} floats, span has {y.Length}");
        fixed (float* px = x) fixed (float* py = y)
        {
            float* tile = stackalloc float[TileRows * StripWidth];
            // row blocks outermost: a block of x stays cache-resident while every strip streams past it
            for (int i0 = 0; i0 < m; i0 += RowBlock)
            {
                int i1 = Math.Min(m, i0 + RowBlock);
                for (int s = 0; s < Strips; s++)
                {
                    float* strip = _data + (long)s * k * StripWidth;
                    int j0 = s * StripWidth, nr = Math.Min(StripWidth, n - j0);
                    for (int i = i0; i < i1; i += TileRows)
                    {
                        int rows = Math.Min(TileRows, i1 - i);
                        float* xi = px + (long)i * ldx, yi = py + (long)i * ldy + j0;
                        if (nr == StripWidth)
                        {
                            Tile(k, xi, ldx, rows, strip, yi, ldy, accumulate);
                        }
                        else
                        {
                            // edge strip: compute into a full-width scratch tile, then copy the nr valid columns
                            Tile(k, xi, ldx, rows, strip, tile, StripWidth, false);
                            for (int r = 0; r < rows; r++)
                                for (int c = 0; c < nr; c++)
                                    yi[(long)r * ldy + c] = accumulate ? yi[(long)r * ldy + c] + tile[r * StripWidth + c] : tile[r * StripWidth + c];
                        }
                    }
                }
            }
        }
    }

    /// <summary>y[rows, 32] (+)= x[rows, K] · strip[K, 32]; rows ≤ 8 (1–2 rows use the one-row kernel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(int k, float* x, int ldx, int rows, float* strip, float* y, int ldy, bool acc)
    {
        if (rows <= 2)
        {
            for (int r = 0; r < rows; r++) Row(k, x + (long)r * ldx, strip, y + (long)r * ldy, acc);
            return;
        }
        Tile8(k, x, ldx, rows, strip, y, ldy, acc);
    }

    /// <summary>
    /// The 8×32 micro-kernel: 16 Vector512 accumulators over K; rows past <paramref name="rows"/> re-read
    /// the last valid row of x (so no bounds checks in the loop) and are not stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8(int k, float* x, int ldx, int rows, float* b, float* y, int ldy, bool acc)
    {
        float* x0 = x, x1 = x + (long)Math.Min(1, rows - 1) * ldx, x2 = x + (long)Math.Min(2, rows - 1) * ldx, x3 = x + (long)Math.Min(3, rows - 1) * ldx;
        float* x4 = x + (long)Math.Min(4, rows - 1) * ldx, x5 = x + (long)Math.Min(5, rows - 1) * ldx, x6 = x + (long)Math.Min(6, rows - 1) * ldx, x7 = x + (long)Math.Min(7, rows - 1) * ldx;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default,
            c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < k; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var a = Vector512.Create(x0[p]);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00); c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(x1[p]);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10); c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(x2[p]);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20); c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(x3[p]);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30); c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
            a = Vector512.Create(x4[p]);
            c40 = Vector512.FusedMultiplyAdd(a, b0, c40); c41 = Vector512.FusedMultiplyAdd(a, b1, c41);
            a = Vector512.Create(x5[p]);
            c50 = Vector512.FusedMultiplyAdd(a, b0, c50); c51 = Vector512.FusedMultiplyAdd(a, b1, c51);
            a = Vector512.Create(x6[p]);
            c60 = Vector512.FusedMultiplyAdd(a, b0, c60); c61 = Vector512.FusedMultiplyAdd(a, b1, c61);
            a = Vector512.Create(x7[p]);
            c70 = Vector512.FusedMultiplyAdd(a, b0, c70); c71 = Vector512.FusedMultiplyAdd(a, b1, c71);
            b += StripWidth;
        }
        ManagedGemm.Store512(y, c00, c01, acc);
        if (rows > 1) ManagedGemm.Store512(y + ldy, c10, c11, acc);
        if (rows > 2) ManagedGemm.Store512(y + 2L * ldy, c20, c21, acc);
        if (rows > 3) ManagedGemm.Store512(y + 3L * ldy, c30, c31, acc);
        if (rows > 4) ManagedGemm.Store512(y + 4L * ldy, c40, c41, acc);
        if (rows > 5) ManagedGemm.Store512(y + 5L * ldy, c50, c51, acc);
        if (rows > 6) ManagedGemm.Store512(y + 6L * ldy, c60, c61, acc);
        if (rows > 7) ManagedGemm.Store512(y + 7L * ldy, c70, c71, acc);
    }

    /// <summary>
    /// One row: y[32] (+)= x[K] · strip[K, 32] with exactly Tile8's per-column FMA order (one chain over
    /// p from zero), so a row's result is bit-identical however rows are grouped into tiles or slices.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row(int k, float* x, float* b, float* y, bool acc)
    {
        Vector512<float> s0 = default, s1 = default;
        for (int p = 0; p < k; p++)
        {
            var a = Vector512.Create(x[p]);
            s0 = Vector512.FusedMultiplyAdd(a, Vector512.Load(b), s0);
            s1 = Vector512.FusedMultiplyAdd(a, Vector512.Load(b + 16), s1);
            b += StripWidth;
        }
        ManagedGemm.Store512(y, s0, s1, acc);
    }

    public void Dispose()
    {
        if (_data is null) return;
        NativeMemory.AlignedFree(_data);
        _data = null;
    }
}
