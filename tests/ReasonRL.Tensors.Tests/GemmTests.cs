// GEMM: managed and OpenBLAS against the double-accumulated reference, every transposition,
// overwrite and accumulate, strided operands, sizes 0, 1, vector width ± 1, micro-tile edges
// (MR = 6, NR = 16 / 32), K beyond one KC panel (256 / 128), and a K·N beyond one packed-B group.
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Tensors.Tests;

/// <summary>A fact that skips, with the loader's reason, when OpenBLAS is not installed.</summary>
public sealed class OpenBlasFactAttribute : FactAttribute
{
    public OpenBlasFactAttribute()
    {
        if (!OpenBlasGemm.TryLoad(out var reason)) Skip = reason;
    }
}

public sealed class GemmTests
{
    private static readonly int[] Sizes = [0, 1, 5, 7, 8, 9, 16, 17, 33];

    public static IEnumerable<object[]> Shapes()
    {
        foreach (var m in Sizes)
            foreach (var n in new[] { 0, 1, 7, 15, 16, 17, 40 })
                foreach (var k in new[] { 0, 1, 8, 9, 31 })
                    yield return [m, n, k];
        yield return [97, 300, 260];   // several MC/NC blocks, two K panels
        yield return [2, 513, 70];     // skinny M (the decode path) with odd N
        yield return [4, 64, 600];     // skinny, three K panels
    }

    [Fact]
    public void ManagedMatchesReferenceOverSizeSweep() => Sweep(new ManagedGemm { TileWidth = 16 });

    /// <summary>The AVX-512 micro-kernel (6×32, Vector512) — exact in software where AVX-512 is absent.</summary>
    [Fact]
    public void ManagedWideTileMatchesReferenceOverSizeSweep() => Sweep(new ManagedGemm { TileWidth = 32 });

    [OpenBlasFact]
    public void OpenBlasMatchesReferenceOverSizeSweep() => Sweep(OpenBlasGemm.Create());

    [Fact]
    public void ManagedSerialAndParallelAgreeOnALargeProduct()
    {
        var rng = new Random(5);
        int m = 200, n = 150, k = 300;
        var a = TestUtil.RandomFloats(rng, m * k);
        var b = TestUtil.RandomFloats(rng, k * n);
        var c1 = new float[m * n];
        var c2 = new float[m * n];
        new ManagedGemm().Multiply(Transpose.No, Transpose.No, m, n, k, a, k, b, n, false, c1, n);
        new ManagedGemm { Parallel = false }.Multiply(Transpose.No, Transpose.No, m, n, k, a, k, b, n, false, c2, n);
        Assert.Equal(c2, c1);   // same packing and summation order regardless of threads: bit-identical
    }

    /// <summary>K·N above the 4 M-float packing cap: B is packed and multiplied strip group by strip group.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ManagedMatchesReferenceWhenPackedBNeedsSeveralGroups(bool transposeB)
    {
        var rng = new Random(11);
        int m = 7, n = 600, k = 7500;
        var a = TestUtil.RandomFloats(rng, m * k);
        var b = TestUtil.RandomFloats(rng, k * n);
        var tb = transposeB ? Transpose.Yes : Transpose.No;
        int ldb = transposeB ? k : n;
        var expected = new float[m * n];
        var actual = new float[m * n];
        new ReferenceGemm().Multiply(Transpose.No, tb, m, n, k, a, k, b, ldb, false, expected, n);
        new ManagedGemm { TileWidth = 16 }.Multiply(Transpose.No, tb, m, n, k, a, k, b, ldb, false, actual, n);
        var cmp = new TensorComparison();
        cmp.Add($"managed {m}x{n}x{k} B transposed={transposeB}", expected, actual, TestUtil.Gemm);
        TestUtil.AssertAllOk(cmp, "managed vs reference, several packed-B groups");
    }

    [Fact]
    public void ShortSpansAreRejectedNamingTheOperand()
    {
        var g = new ManagedGemm();
        var ex = Assert.Throws<ArgumentException>(() => g.Multiply(Transpose.No, Transpose.No, 2, 2, 2, new float[3], 2, new float[4], 2, false, new float[4], 2));
        Assert.Contains("A [2, 2]", ex.Message);
    }

    private static void Sweep(IGemm gemm)
    {
        var reference = new ReferenceGemm();
        var rng = new Random(17);
        var cmp = new TensorComparison();
        foreach (var shape in Shapes())
        {
            int m = (int)shape[0], n = (int)shape[1], k = (int)shape[2];
            foreach (var ta in new[] { Transpose.No, Transpose.Yes })
                foreach (var tb in new[] { Transpose.No, Transpose.Yes })
                    foreach (var acc in new[] { false, true })
                    {
                        // strided operands: leading dimension = columns + 3
                        int aCols = ta == Transpose.No ? k : m, aRows = ta == Transpose.No ? m : k;
                        int bCols = tb == Transpose.No ? n : k, bRows = tb == Transpose.No ? k : n;
                        int lda = aCols + 3, ldb = bCols + 3, ldc = n + 3;
                        var a = TestUtil.RandomFloats(rng, Math.Max(0, aRows * lda));
                        var b = TestUtil.RandomFloats(rng, Math.Max(0, bRows * ldb));
                        var c0 = TestUtil.RandomFloats(rng, m * ldc);
                        var expected = (float[])c0.Clone();
                        var actual = (float[])c0.Clone();
                        reference.Multiply(ta, tb, m, n, k, a, lda, b, ldb, acc, expected, ldc);
                        gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, acc, actual, ldc);
                        cmp.Add($"{gemm.Name} {m}x{n}x{k} {ta}/{tb} acc={acc}", expected, actual, TestUtil.Gemm);
                    }
        }
        TestUtil.AssertAllOk(cmp, $"{gemm.Name} vs reference");
    }
}
