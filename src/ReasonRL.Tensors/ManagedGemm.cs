// ManagedGemm: the default SGEMM, a packed, cache-blocked, multi-threaded managed kernel.
// What it is: Goto-style blocking — K in KC-deep panels; B packed once per panel into NR-wide
// column strips; tiles of (MC rows × NC columns) run in parallel, each packing its MR-high A strips
// into a thread-local buffer and calling a register-blocked micro-kernel: 6×16 (12 Vector256
// accumulators, FMA) or, where AVX-512 is accelerated, 6×32 (12 Vector512 accumulators); the width
// is per instance and both kernels are exact in software elsewhere, so tests run both anywhere.
// Edges go through a zero-padded tile. For small M with B transposed (x·Wᵀ at decode time) an
// unpacked 4×4 dot-product kernel runs instead: packing would cost as much as the multiply.
// What it is not: a batched GEMM. ReferenceGemm is its scalar reference; GemmTests sweep sizes against it.
// Glossary: M, N, K as in IGemm; MR×NR micro-tile; MC, NC, KC cache blocks.
// Reference: Goto & van de Geijn, "Anatomy of high-performance matrix multiplication" (2008); BLIS.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ReasonRL.Tensors;

/// <summary>Packed, blocked, parallel managed SGEMM (see file header).</summary>
public sealed unsafe class ManagedGemm : IGemm
{
    private const int MR = 6, MaxNR = 32, KC = 256, MC = 96, NC = 256;

    /// <summary>Micro-tile width used when none is given: 32 (Vector512) where AVX-512 is accelerated, else 16.</summary>
    public static int DefaultTileWidth { get; } = Vector512.IsHardwareAccelerated ? 32 : 16;

    /// <summary>Below this many multiply-adds the call runs on the calling thread only.</summary>
    private const long ParallelThreshold = 1L << 17;

    [ThreadStatic] private static float[]? t_packA;
    [ThreadStatic] private static float[]? t_packB;

    /// <summary>When false every call runs on the calling thread (used inside already-parallel kernels).</summary>
    public bool Parallel { get; init; } = true;

    /// <summary>NR, the micro-tile width: 16 (Vector256 kernel) or 32 (Vector512 kernel).</summary>
    public int TileWidth
    {
        get => _tileWidth;
        init => _tileWidth = value is 16 or 32 ? value : throw new ArgumentOutOfRangeException(nameof(TileWidth), $"gemm tile width must be 16 or 32, got {value}");
    }

    private readonly int _tileWidth = DefaultTileWidth;

    public string Name => "managed";

    public void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        bool accumulate, Span<float> c, int ldc)
    {
        GemmChecks.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
        {
            Run(Parallel, _tileWidth, transA == Transpose.Yes, transB == Transpose.Yes, m, n, k, pa, lda, pb, ldb, accumulate, pc, ldc);
        }
    }

    /// <summary>Pointer entry for kernels that are already parallel (attention): runs on the calling thread.</summary>
    internal static void MultiplySerial(bool ta, bool tb, int m, int n, int k, float* a, int lda, float* b, int ldb, bool acc, float* c, int ldc)
    {
        if (m == 0 || n == 0) return;
        Run(false, DefaultTileWidth, ta, tb, m, n, k, a, lda, b, ldb, acc, c, ldc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(bool allowParallel, int tileWidth, bool ta, bool tb, int m, int n, int k, float* a, int lda, float* b, int ldb, bool acc, float* c, int ldc)
    {
        if (k == 0)
        {
            if (!acc) for (int i = 0; i < m; i++) new Span<float>(c + (long)i * ldc, n).Clear();
            return;
        }
        bool par = allowParallel && (long)m * n * k >= ParallelThreshold && Environment.ProcessorCount > 1;
        if (m <= DotNTMaxRows && tb && !ta)
        {
            DotNT(m, n, k, a, lda, b, ldb, acc, c, ldc, par);
            return;
        }
        int nStrips = (n + tileWidth - 1) / tileWidth;
        for (int pc = 0; pc < k; pc += KC)
        {
            int kc = Math.Min(KC, k - pc);
            bool accHere = acc || pc > 0;
            var packB = t_packB is { } pbArr && pbArr.Length >= nStrips * tileWidth * kc ? pbArr : (t_packB = GC.AllocateUninitializedArray<float>(nStrips * tileWidth * KC, pinned: true));
            fixed (float* bp = packB)
            {
                float* bpl = bp;
                if (par && nStrips > 1)
                    System.Threading.Tasks.Parallel.For(0, nStrips, s => PackB(tileWidth, tb, b, ldb, pc, kc, n, s, bpl));
                else
                    for (int s = 0; s < nStrips; s++) PackB(tileWidth, tb, b, ldb, pc, kc, n, s, bpl);

                int mBlocks = (m + MC - 1) / MC, nBlocks = (n + NC - 1) / NC;
                int tiles = mBlocks * nBlocks;
                if (par && tiles > 1)
                    System.Threading.Tasks.Parallel.For(0, tiles, t => Tile(tileWidth, ta, a, lda, pc, kc, m, n, t / nBlocks, t % nBlocks, bpl, accHere, c, ldc));
                else
                    for (int t = 0; t < tiles; t++) Tile(tileWidth, ta, a, lda, pc, kc, m, n, t / nBlocks, t % nBlocks, bpl, accHere, c, ldc);
            }
        }
    }

    /// <summary>Packs columns [s·NR, s·NR+NR) of op(B) rows [pc, pc+kc) as kc rows of NR floats, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(int tileWidth, bool tb, float* b, int ldb, int pc, int kc, int n, int s, float* dst)
    {
        int j0 = s * tileWidth;
        // op(B)(p, j) = b[p·ldb + j] (columns run along the row) or b[j·ldb + p] (transposed: k runs along the row).
        Pack(b, ldb, kAlongRow: tb, j0, Math.Min(tileWidth, n - j0), pc, kc, tileWidth, dst + (long)s * tileWidth * kc);
    }

    /// <summary>
    /// Packs a width-W strip of an operand for k in [pc, pc+kc): d[p·W + r] = element (r0 + r, pc + p),
    /// zero for r ≥ count. Element (r, p) sits at src[r·ld + p] when <paramref name="kAlongRow"/>,
    /// else at src[p·ld + r]. Both A strips (W = MR) and B strips (W = NR) use it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pack(float* src, int ld, bool kAlongRow, int r0, int count, int pc, int kc, int w, float* d)
    {
        if (kAlongRow)
        {
            for (int r = 0; r < w; r++)
            {
                if (r < count)
                {
                    float* row = src + (long)(r0 + r) * ld + pc;
                    for (int p = 0; p < kc; p++) d[p * w + r] = row[p];
                }
                else
                {
                    for (int p = 0; p < kc; p++) d[p * w + r] = 0f;
                }
            }
        }
        else
        {
            for (int p = 0; p < kc; p++)
            {
                float* row = src + (long)(pc + p) * ld + r0;
                int r = 0;
                for (; r < count; r++) d[p * w + r] = row[r];
                for (; r < w; r++) d[p * w + r] = 0f;
            }
        }
    }

    /// <summary>One MC×NC tile of C: pack its A rows, then run micro-kernels over its NR strips.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(int tileWidth, bool ta, float* a, int lda, int pc, int kc, int m, int n, int mb, int nb, float* packB, bool acc, float* c, int ldc)
    {
        int i0 = mb * MC, mc = Math.Min(MC, m - i0);
        int j0 = nb * NC, nc = Math.Min(NC, n - j0);
        int aStrips = (mc + MR - 1) / MR;
        var packA = t_packA is { } arr && arr.Length >= MC * KC ? arr : (t_packA = GC.AllocateUninitializedArray<float>(MC * KC, pinned: true));
        fixed (float* ap = packA)
        {
            for (int s = 0; s < aStrips; s++)
            {
                // op(A)(i, p) = a[i·lda + p] (k along the row) or a[p·lda + i] (transposed).
                int r0 = i0 + s * MR;
                Pack(a, lda, kAlongRow: !ta, r0, Math.Min(MR, m - r0), pc, kc, MR, ap + (long)s * MR * kc);
            }
            float* tile = stackalloc float[MR * MaxNR];
            for (int js = j0 / tileWidth; js * tileWidth < j0 + nc; js++)
            {
                int jj = js * tileWidth, nr = Math.Min(tileWidth, n - jj);
                float* bs = packB + (long)js * tileWidth * kc;
                for (int s = 0; s < aStrips; s++)
                {
                    int r0 = i0 + s * MR, mr = Math.Min(MR, m - r0);
                    float* cs = c + (long)r0 * ldc + jj;
                    float* aStrip = ap + (long)s * MR * kc;
                    if (mr == MR && nr == tileWidth)
                    {
                        if (tileWidth == 32) Kernel6x32(kc, aStrip, bs, cs, ldc, acc);
                        else Kernel6x16(kc, aStrip, bs, cs, ldc, acc);
                    }
                    else
                    {
                        if (tileWidth == 32) Kernel6x32(kc, aStrip, bs, tile, tileWidth, false);
                        else Kernel6x16(kc, aStrip, bs, tile, tileWidth, false);
                        for (int r = 0; r < mr; r++)
                            for (int j = 0; j < nr; j++)
                                cs[(long)r * ldc + j] = acc ? cs[(long)r * ldc + j] + tile[r * tileWidth + j] : tile[r * tileWidth + j];
                    }
                }
            }
        }
    }

    /// <summary>C[6,16] (+)= Apack[kc,6]ᵀ · Bpack[kc,16]; packed operands are contiguous per k step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* a, float* b, float* c, int ldc, bool acc)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Fma256(a0, b0, c00); c01 = Fma256(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Fma256(a1, b0, c10); c11 = Fma256(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Fma256(a2, b0, c20); c21 = Fma256(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Fma256(a3, b0, c30); c31 = Fma256(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Fma256(a4, b0, c40); c41 = Fma256(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Fma256(a5, b0, c50); c51 = Fma256(a5, b1, c51);
            a += MR;
            b += 16;
        }
        Store(c, c00, c01, acc); Store(c + ldc, c10, c11, acc); Store(c + 2L * ldc, c20, c21, acc);
        Store(c + 3L * ldc, c30, c31, acc); Store(c + 4L * ldc, c40, c41, acc); Store(c + 5L * ldc, c50, c51, acc);
    }

    /// <summary>C[6,32] (+)= Apack[kc,6]ᵀ · Bpack[kc,32] with 12 Vector512 accumulators (AVX-512 machines).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x32(int kc, float* a, float* b, float* c, int ldc, bool acc)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00); c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10); c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20); c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30); c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40); c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50); c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            a += MR;
            b += 32;
        }
        Store512(c, c00, c01, acc); Store512(c + ldc, c10, c11, acc); Store512(c + 2L * ldc, c20, c21, acc);
        Store512(c + 3L * ldc, c30, c31, acc); Store512(c + 4L * ldc, c40, c41, acc); Store512(c + 5L * ldc, c50, c51, acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* dst, Vector512<float> lo, Vector512<float> hi, bool acc)
    {
        if (acc)
        {
            lo += Vector512.Load(dst);
            hi += Vector512.Load(dst + 16);
        }
        lo.Store(dst);
        hi.Store(dst + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma256(Vector256<float> x, Vector256<float> y, Vector256<float> acc) =>
        Fma.IsSupported ? Fma.MultiplyAdd(x, y, acc) : acc + x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* dst, Vector256<float> lo, Vector256<float> hi, bool acc)
    {
        if (acc)
        {
            lo += Vector256.Load(dst);
            hi += Vector256.Load(dst + 8);
        }
        lo.Store(dst);
        hi.Store(dst + 8);
    }

    /// <summary>Largest M for which x·Wᵀ uses the unpacked dot-product kernel (batched decode steps).</summary>
    private const int DotNTMaxRows = 96;

    /// <summary>
    /// C[m,n] (+)= A[m,k] · B[n,k]ᵀ without packing, for small M (decode at batch 64): both operands
    /// are contiguous along K, so a 4×4 block of dot products keeps 16 Vector256 partial sums over K
    /// (4 A loads + 4 B loads per 16 FMAs) and reduces them once. Packing B would cost as much as the
    /// multiply when every weight is used by only M rows. Parallel over blocks of 64 columns.
    /// </summary>
    private static void DotNT(int m, int n, int k, float* a, int lda, float* b, int ldb, bool acc, float* c, int ldc, bool par)
    {
        const int chunk = 64;
        int chunks = (n + chunk - 1) / chunk;
        if (par && chunks > 1)
            System.Threading.Tasks.Parallel.For(0, chunks, ch => DotNTChunk(ch * chunk, Math.Min(n, ch * chunk + chunk), m, k, a, lda, b, ldb, acc, c, ldc));
        else
            DotNTChunk(0, n, m, k, a, lda, b, ldb, acc, c, ldc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotNTChunk(int j0, int j1, int m, int k, float* a, int lda, float* b, int ldb, bool acc, float* c, int ldc)
    {
        int j = j0;
        for (; j + 4 <= j1; j += 4)
        {
            int i = 0;
            for (; i + 4 <= m; i += 4) Dot4x4(k, a + (long)i * lda, lda, b + (long)j * ldb, ldb, acc, c + (long)i * ldc + j, ldc);
            for (; i < m; i++)
                for (int jj = j; jj < j + 4; jj++) DotOne(k, a + (long)i * lda, b + (long)jj * ldb, acc, c + (long)i * ldc + jj);
        }
        for (; j < j1; j++)
            for (int i = 0; i < m; i++) DotOne(k, a + (long)i * lda, b + (long)j * ldb, acc, c + (long)i * ldc + j);
    }

    private static void DotOne(int k, float* x, float* y, bool acc, float* dst)
    {
        float dot = TensorPrimitives.Dot(new ReadOnlySpan<float>(x, k), new ReadOnlySpan<float>(y, k));
        *dst = acc ? *dst + dot : dot;
    }

    /// <summary>C[4,4] (+)= A[4,k] · B[4,k]ᵀ, rows contiguous along k: 16 vector partial sums, one reduction each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x4(int k, float* a, int lda, float* b, int ldb, bool acc, float* c, int ldc)
    {
        float* a0 = a, a1 = a + lda, a2 = a + 2L * lda, a3 = a + 3L * lda;
        float* b0 = b, b1 = b + ldb, b2 = b + 2L * ldb, b3 = b + 3L * ldb;
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default,
            s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            var y0 = Vector256.Load(b0 + p); var y1 = Vector256.Load(b1 + p); var y2 = Vector256.Load(b2 + p); var y3 = Vector256.Load(b3 + p);
            var x = Vector256.Load(a0 + p);
            s00 = Fma256(x, y0, s00); s01 = Fma256(x, y1, s01); s02 = Fma256(x, y2, s02); s03 = Fma256(x, y3, s03);
            x = Vector256.Load(a1 + p);
            s10 = Fma256(x, y0, s10); s11 = Fma256(x, y1, s11); s12 = Fma256(x, y2, s12); s13 = Fma256(x, y3, s13);
            x = Vector256.Load(a2 + p);
            s20 = Fma256(x, y0, s20); s21 = Fma256(x, y1, s21); s22 = Fma256(x, y2, s22); s23 = Fma256(x, y3, s23);
            x = Vector256.Load(a3 + p);
            s30 = Fma256(x, y0, s30); s31 = Fma256(x, y1, s31); s32 = Fma256(x, y2, s32); s33 = Fma256(x, y3, s33);
        }
        if (p == k)
        {
            // Reduce each row's 4 accumulators together: two horizontal-add levels, then the two 128-bit halves.
            StoreRow4(Reduce4(s00, s01, s02, s03), c, acc);
            StoreRow4(Reduce4(s10, s11, s12, s13), c + ldc, acc);
            StoreRow4(Reduce4(s20, s21, s22, s23), c + 2L * ldc, acc);
            StoreRow4(Reduce4(s30, s31, s32, s33), c + 3L * ldc, acc);
            return;
        }
        float* r = stackalloc float[16];
        Reduce4(s00, s01, s02, s03).Store(r); Reduce4(s10, s11, s12, s13).Store(r + 4);
        Reduce4(s20, s21, s22, s23).Store(r + 8); Reduce4(s30, s31, s32, s33).Store(r + 12);
        for (; p < k; p++)   // K tail
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) r[i * 4 + j] += a[i * (long)lda + p] * b[j * (long)ldb + p];
        for (int i = 0; i < 4; i++) StoreRow4(Vector128.Load(r + i * 4), c + (long)i * ldc, acc);
    }

    /// <summary>[Σ x0, Σ x1, Σ x2, Σ x3] of four 8-lane vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Reduce4(Vector256<float> x0, Vector256<float> x1, Vector256<float> x2, Vector256<float> x3)
    {
        if (Avx.IsSupported)
        {
            var h = Avx.HorizontalAdd(Avx.HorizontalAdd(x0, x1), Avx.HorizontalAdd(x2, x3));
            return h.GetLower() + h.GetUpper();
        }
        return Vector128.Create(Vector256.Sum(x0), Vector256.Sum(x1), Vector256.Sum(x2), Vector256.Sum(x3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow4(Vector128<float> v, float* dst, bool acc)
    {
        if (acc) v += Vector128.Load(dst);
        v.Store(dst);
    }
}
