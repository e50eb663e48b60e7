// ManagedGemm: the default SGEMM, a packed, cache-blocked, multi-threaded managed kernel.
// What it is: Goto-style blocking with one parallel region for the multiply. op(B) is packed once per
// call into NR-wide column strips ([K, NR] each, zero-padded; parallel over strips; transposed B goes
// through 8×8 register transposes). C is cut into tiles (MC rows × a few strips), sized so that there
// are several tiles per core; each tile walks all of K in KC-deep panels, so a core owns its part of C
// for the whole product. A is not packed: the micro-kernel broadcasts A's elements straight from its
// rows (A as stored) or columns (A transposed), which costs nothing extra when the six elements of a
// k step are in six streamed rows or in one cache line. Micro-kernels: 6×16 (12 Vector256
// accumulators, FMA) or, where AVX-512 is accelerated, 6×32 (12 Vector512 accumulators); the width is
// per instance and both are exact in software elsewhere, so tests run both anywhere. Row and column
// edges go through a zero-padded tile. For small M with B transposed (x·Wᵀ at decode time) an unpacked
// 4×4 dot-product kernel runs instead: packing would cost as much as the multiply.
// Summation order depends only on the shapes (never on the thread count): serial and parallel agree bitwise.
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
    private const int MR = 6, MaxNR = 32, MC = 96, NC = 256;

    /// <summary>Micro-tile width used when none is given: 32 (Vector512) where AVX-512 is accelerated, else 16.</summary>
    public static int DefaultTileWidth { get; } = Vector512.IsHardwareAccelerated ? 32 : 16;

    /// <summary>Below this many multiply-adds the call runs on the calling thread only.</summary>
    private const long ParallelThreshold = 1L << 17;

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

    /// <summary>KC: the panel depth, chosen so that one kc × NR packed B micro-panel is 16 KB (half of a 32 KB L1).</summary>
    private static int PanelDepth(int tileWidth) => tileWidth == 32 ? 128 : 256;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(bool allowParallel, int tileWidth, bool ta, bool tb, int m, int n, int k, float* a, int lda, float* b, int ldb, bool acc, float* c, int ldc)
    {
        if (k == 0)
        {
            if (!acc) for (int i = 0; i < m; i++) new Span<float>(c + (long)i * ldc, n).Clear();
            return;
        }
        bool par = allowParallel && (long)m * n * k >= ParallelThreshold && Kernels.WorkerCount > 1;
        if (m <= DotNTMaxRows && tb && !ta)
        {
            DotNT(m, n, k, a, lda, b, ldb, acc, c, ldc, par);
            return;
        }
        int nr = tileWidth;
        int nStrips = (n + nr - 1) / nr;
        long stripLength = (long)k * nr;
        // Strips are packed and multiplied in groups of at most PackCapFloats (a huge K·N never needs a huge buffer).
        int groupStrips = (int)Math.Clamp(PackCapFloats / stripLength, 1, nStrips);
        long packLength = groupStrips * stripLength;
        var packB = t_packB is { } pbArr && pbArr.LongLength >= packLength ? pbArr : (t_packB = GC.AllocateUninitializedArray<float>((int)Math.Max(packLength, 4096), pinned: true));
        int kc = PanelDepth(nr);
        // op(A)(i, p) = a[i·rs + p·ks]: rows of A as stored (ks = 1) or columns when transposed.
        long rs = ta ? 1 : lda, ks = ta ? lda : 1;
        int workers = par ? Kernels.WorkerCount : 1;
        fixed (float* bp = packB)
        {
            float* bpl = bp;
            for (int g0 = 0; g0 < nStrips; g0 += groupStrips)
            {
                int gs = Math.Min(groupStrips, nStrips - g0), g = g0;
                if (par && gs > 1)
                    System.Threading.Tasks.Parallel.For(0, gs, Kernels.Workers, s => PackStrip(nr, tb, b, ldb, k, n, g + s, bpl + s * stripLength));
                else
                    for (int s = 0; s < gs; s++) PackStrip(nr, tb, b, ldb, k, n, g + s, bpl + s * stripLength);
                // Tile grid: MC rows × (stripsPerTile · NR) columns, shrunk until every core has a few tiles.
                int stripsPerTile = NC / nr, mc = MC;
                int Tiles() => ((m + mc - 1) / mc) * ((gs + stripsPerTile - 1) / stripsPerTile);
                while (Tiles() < 4 * workers && stripsPerTile > 1) stripsPerTile /= 2;
                while (Tiles() < 4 * workers && mc > MR) mc = Math.Max(MR, (mc / 2 + MR - 1) / MR * MR);
                int mBlocks = (m + mc - 1) / mc;
                mc = ((m + mBlocks - 1) / mBlocks + MR - 1) / MR * MR;   // even row blocks (no small tail block)
                int nBlocks = (gs + stripsPerTile - 1) / stripsPerTile, tiles = ((m + mc - 1) / mc) * nBlocks, spt = stripsPerTile, mcb = mc;
                if (par && tiles > 1)
                    System.Threading.Tasks.Parallel.For(0, tiles, Kernels.Workers, t => Tile(nr, kc, a, rs, ks, m, n, k, mcb, (t / nBlocks) * mcb, g, (t % nBlocks) * spt, Math.Min(spt, gs - (t % nBlocks) * spt), bpl, acc, c, ldc));
                else
                    for (int t = 0; t < tiles; t++) Tile(nr, kc, a, rs, ks, m, n, k, mcb, (t / nBlocks) * mcb, g, (t % nBlocks) * spt, Math.Min(spt, gs - (t % nBlocks) * spt), bpl, acc, c, ldc);
            }
        }
    }

    /// <summary>Largest packed-B group in floats (16 MB): larger products pack and multiply strip group by strip group.</summary>
    private const long PackCapFloats = 1L << 22;

    /// <summary>Packs columns [s·NR, s·NR+NR) of op(B), all K rows, as K rows of NR floats (zero-padded columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackStrip(int w, bool tb, float* b, int ldb, int k, int n, int s, float* d)
    {
        int j0 = s * w, count = Math.Min(w, n - j0);
        if (!tb)
        {
            // op(B)(p, j) = b[p·ldb + j]: each packed row is a contiguous copy.
            for (int p = 0; p < k; p++)
            {
                float* dst = d + (long)p * w;
                new ReadOnlySpan<float>(b + (long)p * ldb + j0, count).CopyTo(new Span<float>(dst, count));
                if (count < w) new Span<float>(dst + count, w - count).Clear();
            }
            return;
        }
        // op(B)(p, j) = b[j·ldb + p]: a transpose. 8×8 blocks through registers, then scalar edges.
        int r = 0;
        if (Avx.IsSupported)
        {
            for (; r + 8 <= count; r += 8)
            {
                float* src = b + (long)(j0 + r) * ldb;
                int p = 0;
                for (; p + 8 <= k; p += 8) Transpose8x8(src + p, ldb, d + (long)p * w + r, w);
                for (; p < k; p++)
                    for (int i = 0; i < 8; i++) d[(long)p * w + r + i] = src[(long)i * ldb + p];
            }
        }
        for (; r < count; r++)
        {
            float* row = b + (long)(j0 + r) * ldb;
            for (int p = 0; p < k; p++) d[(long)p * w + r] = row[p];
        }
        if (count < w)
            for (int p = 0; p < k; p++) new Span<float>(d + (long)p * w + count, w - count).Clear();
    }

    /// <summary>dst[p·ldd + i] = src[i·lds + p] for an 8×8 block (AVX unpack/shuffle/permute transpose).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, int lds, float* dst, int ldd)
    {
        var r0 = Avx.LoadVector256(src); var r1 = Avx.LoadVector256(src + lds);
        var r2 = Avx.LoadVector256(src + 2L * lds); var r3 = Avx.LoadVector256(src + 3L * lds);
        var r4 = Avx.LoadVector256(src + 4L * lds); var r5 = Avx.LoadVector256(src + 5L * lds);
        var r6 = Avx.LoadVector256(src + 6L * lds); var r7 = Avx.LoadVector256(src + 7L * lds);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2L * ldd, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3L * ldd, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4L * ldd, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5L * ldd, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6L * ldd, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7L * ldd, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// One tile of C — rows [i0, i0+mc), strips [g0+s0, g0+s0+strips) of the group packed at
    /// <paramref name="packB"/> (group strip i at packB + i·K·NR) — over all of K: for each KC panel,
    /// each NR strip (its kc×NR packed micro-panel stays in L1) against each MR-row strip of A.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(int nr, int kcMax, float* a, long rs, long ks, int m, int n, int k, int mcMax, int i0, int g0, int s0, int strips, float* packB, bool acc, float* c, int ldc)
    {
        int mc = Math.Min(mcMax, m - i0);
        float* tile = stackalloc float[MR * MaxNR];
        for (int pc = 0; pc < k; pc += kcMax)
        {
            int kc = Math.Min(kcMax, k - pc);
            bool accHere = acc || pc > 0;
            for (int js = s0; js < s0 + strips; js++)
            {
                int jj = (g0 + js) * nr, ncol = Math.Min(nr, n - jj);
                float* bs = packB + (long)js * k * nr + (long)pc * nr;
                for (int r0 = i0; r0 < i0 + mc; r0 += MR)
                    MicroTile(nr, kc, a + r0 * rs + pc * ks, rs, ks, Math.Min(MR, i0 + mc - r0), ncol, bs, accHere, c + (long)r0 * ldc + jj, ldc, tile);
            }
        }
    }

    /// <summary>
    /// C[mr, ncol] (+)= op(A)[mr, kc] · Bpack[kc, NR] (first ncol columns), mr ≤ 6, ncol ≤ NR, with
    /// op(A)(r, p) = a[r·rs + p·ks]: a full tile goes straight to C, an edge tile through
    /// <paramref name="tile"/> (MR·NR floats). Shared by the tiles above and the attention kernels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MicroTile(int nr, int kc, float* a, long rs, long ks, int mr, int ncol, float* b, bool acc, float* c, int ldc, float* tile)
    {
        if (mr == MR && ncol == nr)
        {
            if (nr == 32) Kernel6x32(kc, a, rs, ks, MR, b, c, ldc, acc);
            else Kernel6x16(kc, a, rs, ks, MR, b, c, ldc, acc);
            return;
        }
        if (nr == 32) Kernel6x32(kc, a, rs, ks, mr, b, tile, nr, false);
        else Kernel6x16(kc, a, rs, ks, mr, b, tile, nr, false);
        for (int r = 0; r < mr; r++)
        {
            float* dst = c + (long)r * ldc, src = tile + r * nr;
            if (acc) for (int j = 0; j < ncol; j++) dst[j] += src[j];
            else for (int j = 0; j < ncol; j++) dst[j] = src[j];
        }
    }

    /// <summary>MR, the micro-tile height.</summary>
    internal const int MicroRows = MR;

    /// <summary>
    /// C[6,16] (+)= op(A)[6,kc] · Bpack[kc,16], op(A)(r, p) = a[r·rs + p·ks] read in place; rows ≥ mr
    /// repeat row 0 (their results land in rows the caller discards).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* a, long rs, long ks, int mr, float* b, float* c, int ldc, bool acc)
    {
        float* a0 = a, a1 = mr > 1 ? a + rs : a, a2 = mr > 2 ? a + 2 * rs : a, a3 = mr > 3 ? a + 3 * rs : a, a4 = mr > 4 ? a + 4 * rs : a, a5 = mr > 5 ? a + 5 * rs : a;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        long off = 0;
        for (int p = 0; p < kc; p++, off += ks)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a0[off]);
            c00 = Fma256(x, b0, c00); c01 = Fma256(x, b1, c01);
            x = Vector256.Create(a1[off]);
            c10 = Fma256(x, b0, c10); c11 = Fma256(x, b1, c11);
            x = Vector256.Create(a2[off]);
            c20 = Fma256(x, b0, c20); c21 = Fma256(x, b1, c21);
            x = Vector256.Create(a3[off]);
            c30 = Fma256(x, b0, c30); c31 = Fma256(x, b1, c31);
            x = Vector256.Create(a4[off]);
            c40 = Fma256(x, b0, c40); c41 = Fma256(x, b1, c41);
            x = Vector256.Create(a5[off]);
            c50 = Fma256(x, b0, c50); c51 = Fma256(x, b1, c51);
            b += 16;
        }
        Store(c, c00, c01, acc); Store(c + ldc, c10, c11, acc); Store(c + 2L * ldc, c20, c21, acc);
        Store(c + 3L * ldc, c30, c31, acc); Store(c + 4L * ldc, c40, c41, acc); Store(c + 5L * ldc, c50, c51, acc);
    }

    /// <summary>C[6,32] (+)= op(A)[6,kc] · Bpack[kc,32] with 12 Vector512 accumulators (AVX-512 machines); A as in Kernel6x16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x32(int kc, float* a, long rs, long ks, int mr, float* b, float* c, int ldc, bool acc)
    {
        float* a0 = a, a1 = mr > 1 ? a + rs : a, a2 = mr > 2 ? a + 2 * rs : a, a3 = mr > 3 ? a + 3 * rs : a, a4 = mr > 4 ? a + 4 * rs : a, a5 = mr > 5 ? a + 5 * rs : a;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        long off = 0;
        for (int p = 0; p < kc; p++, off += ks)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a0[off]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a1[off]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a2[off]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a3[off]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a4[off]);
            c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a5[off]);
            c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            b += 32;
        }
        Store512(c, c00, c01, acc); Store512(c + ldc, c10, c11, acc); Store512(c + 2L * ldc, c20, c21, acc);
        Store512(c + 3L * ldc, c30, c31, acc); Store512(c + 4L * ldc, c40, c41, acc); Store512(c + 5L * ldc, c50, c51, acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store512(float* dst, Vector512<float> lo, Vector512<float> hi, bool acc)
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
            System.Threading.Tasks.Parallel.For(0, chunks, Kernels.Workers, ch => DotNTChunk(ch * chunk, Math.Min(n, ch * chunk + chunk), m, k, a, lda, b, ldb, acc, c, ldc));
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
