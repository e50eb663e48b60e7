// PackedMatrix (the batched decode step's y = x·Wᵀ) against the double-accumulated ReferenceGemm:
// rows 0, 1, 2 (one-row kernel), 3–7 (clamped 8-row tile), 8, 9, 17, 33; columns around the
// 32-wide strip (1, 31, 32, 33, 65); K 0, 1, 2, 15, 16, 17, 100; strided x and y; overwrite and accumulate.
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Tensors.Tests;

public sealed class PackedMatrixTests
{
    [Fact]
    public void MultiplyMatchesReferenceOverSizeSweep()
    {
        var reference = new ReferenceGemm();
        var rng = new Random(23);
        var cmp = new TensorComparison();
        foreach (int n in new[] { 1, 31, 32, 33, 65 })
            foreach (int k in new[] { 0, 1, 2, 15, 16, 17, 100 })
            {
                var w = TestUtil.RandomFloats(rng, n * k);
                using var packed = new PackedMatrix(n, k);
                packed.Pack(w);
                foreach (int m in new[] { 0, 1, 2, 3, 5, 7, 8, 9, 17, 33 })
                    foreach (bool acc in new[] { false, true })
                    {
                        int ldx = k + 3, ldy = n + 2;
                        var x = TestUtil.RandomFloats(rng, m * ldx);
                        var y0 = TestUtil.RandomFloats(rng, m * ldy);
                        var expected = (float[])y0.Clone();
                        var actual = (float[])y0.Clone();
                        reference.Multiply(Transpose.No, Transpose.Yes, m, n, k, x, ldx, w, k, acc, expected, ldy);
                        packed.Multiply(x, ldx, m, acc, actual, ldy);
                        cmp.Add($"packed {m}x{n}x{k} acc={acc}", expected, actual, TestUtil.Gemm);
                    }
            }
        TestUtil.AssertAllOk(cmp, "packed matrix vs reference");
    }

    [Fact]
    public void ARowsResultDoesNotDependOnHowRowsAreGrouped()
    {
        var rng = new Random(9);
        int n = 70, k = 37, m = 11;
        var w = TestUtil.RandomFloats(rng, n * k);
        var x = TestUtil.RandomFloats(rng, m * k);
        using var packed = new PackedMatrix(n, k);
        packed.Pack(w);
        var all = new float[m * n];
        packed.Multiply(x, k, m, false, all, n);
        // the same rows one at a time (one-row kernel) and in groups of 3 (clamped 8-row tile)
        foreach (int group in new[] { 1, 3 })
            for (int i = 0; i < m; i += group)
            {
                int rows = Math.Min(group, m - i);
                var part = new float[rows * n];
                packed.Multiply(x.AsSpan(i * k), k, rows, false, part, n);
                Assert.Equal(all.AsSpan(i * n, rows * n).ToArray(), part);
            }
    }

    [Fact]
    public void RepackingPicksUpNewWeights()
    {
        var rng = new Random(3);
        int n = 40, k = 9, m = 4;
        using var packed = new PackedMatrix(n, k);
        var x = TestUtil.RandomFloats(rng, m * k);
        var y = new float[m * n];
        var expected = new float[m * n];
        for (int round = 0; round < 2; round++)
        {
            var w = TestUtil.RandomFloats(rng, n * k);
            packed.Pack(w);
            packed.Multiply(x, k, m, false, y, n);
            new ReferenceGemm().Multiply(Transpose.No, Transpose.Yes, m, n, k, x, k, w, k, false, expected, n);
            var cmp = new TensorComparison();
            cmp.Add($"round {round}", expected, y, TestUtil.Gemm);
            TestUtil.AssertAllOk(cmp, "repacked matrix");
        }
    }

    [Fact]
    public void BadShapesAreRejectedNamingTheOperand()
    {
        using var packed = new PackedMatrix(4, 3);
        var ex = Assert.Throws<ArgumentException>(() => packed.Pack(new float[11]));
        Assert.Contains("expected N·K = 4·3", ex.Message);
        packed.Pack(new float[12]);
        ex = Assert.Throws<ArgumentException>(() => packed.Multiply(new float[5], 3, 2, false, new float[8], 4));
        Assert.Contains("x [2, 3]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => packed.Multiply(new float[6], 3, 2, false, new float[7], 4));
        Assert.Contains("y [2, 4]", ex.Message);
    }

    [Fact]
    public void SerialScopeNestsAndClosesOnTheCallingThreadOnly()
    {
        Assert.False(Kernels.InSerialScope);
        using (Kernels.Serial())
        {
            using (Kernels.Serial()) Assert.True(Kernels.InSerialScope);
            Assert.True(Kernels.InSerialScope);
            bool other = true;
            var t = new Thread(() => other = Kernels.InSerialScope);
            t.Start();
            t.Join();
            Assert.False(other);
        }
        Assert.False(Kernels.InSerialScope);
    }
}
