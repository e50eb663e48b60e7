// Fast float kernels against the double reference kernels over size sweeps: 0, 1, vector width ± 1
// (Vector256<float> = 8, Vector512 = 16), odd sizes, and sizes large enough to take the parallel path.
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Tensors.Tests;

public sealed class FastKernelTests
{
    public static readonly TheoryData<int> Widths = new() { 0, 1, 7, 8, 9, 15, 16, 17, 33, 100 };
    private static readonly int[] RowCounts = [0, 1, 3, 600];

    /// <summary>RMSNorm widths come from configs (> 0): the RMS of an empty row is undefined.</summary>
    public static readonly TheoryData<int> PositiveWidths = new() { 1, 7, 8, 9, 15, 16, 17, 33, 100 };

    [Theory]
    [InlineData(16, 8)]
    [InlineData(128, 600)]
    public void RmsNormForwardInPlaceEqualsOutOfPlace(int width, int rows)
    {
        // Qwen3's per-head q/k norm runs in place in inference (rows = tokens·heads, width = head_dim)
        var rng = new Random(rows);
        var x = TestUtil.RandomFloats(rng, rows * width);
        var w = TestUtil.RandomFloats(rng, width);
        var y = new float[rows * width]; var r = new float[rows];
        Kernels.RmsNormForward(x, w, rows, width, 1e-6f, y, r);
        var inPlace = (float[])x.Clone(); var r2 = new float[rows];
        Kernels.RmsNormForward(inPlace, w, rows, width, 1e-6f, inPlace, r2);
        Assert.Equal(y, inPlace);
        Assert.Equal(r, r2);
    }

    [Theory, MemberData(nameof(PositiveWidths))]
    public void RmsNormForwardBackward(int width)
    {
        var rng = new Random(width);
        var cmp = new TensorComparison();
        foreach (var rows in RowCounts)
        {
            var x = TestUtil.RandomFloats(rng, rows * width);
            var w = TestUtil.RandomFloats(rng, width);
            var dy = TestUtil.RandomFloats(rng, rows * width);
            var y = new float[rows * width]; var r = new float[rows];
            Kernels.RmsNormForward(x, w, rows, width, 1e-6f, y, r);
            var dx = TestUtil.RandomFloats(rng, rows * width); var dw = TestUtil.RandomFloats(rng, width);
            var dxR = TestUtil.ToDouble(dx); var dwR = TestUtil.ToDouble(dw);
            Kernels.RmsNormBackward(x, w, r, dy, rows, width, dx, dw);
            var yR = new double[rows * width]; var rR = new double[rows];
            Reference.RmsNormForward(TestUtil.ToDouble(x), TestUtil.ToDouble(w), rows, width, 1e-6, yR, rR);
            Reference.RmsNormBackward(TestUtil.ToDouble(x), TestUtil.ToDouble(w), rR, TestUtil.ToDouble(dy), rows, width, dxR, dwR);
            cmp.Add($"rmsnorm y {rows}x{width}", yR, y, TestUtil.FloatKernel);
            cmp.Add($"rmsnorm rstd {rows}x{width}", rR, r, TestUtil.FloatKernel);
            cmp.Add($"rmsnorm dx (accumulated) {rows}x{width}", dxR, dx, TestUtil.FloatKernel);
            // dWeight sums over up to 600 rows: float summation error ~ rows·eps·|term| ≈ 600·1.2e-7·3
            cmp.Add($"rmsnorm dw (accumulated) {rows}x{width}", dwR, dw, new Tolerance("float-sum-600", 5e-4, 1e-4));
        }
        TestUtil.AssertAllOk(cmp, "RMSNorm fast vs reference");
    }

    [Theory, MemberData(nameof(Widths))]
    public void ElementwiseKernels(int n)
    {
        var rng = new Random(100 + n);
        var cmp = new TensorComparison();
        foreach (int len in new[] { n, n * 517 })
        {
            var g = TestUtil.RandomFloats(rng, len, 4); var u = TestUtil.RandomFloats(rng, len); var dy = TestUtil.RandomFloats(rng, len);
            var y = new float[len];
            Kernels.SwiGluForward(g, u, y);
            var dg = TestUtil.RandomFloats(rng, len); var du = TestUtil.RandomFloats(rng, len);
            var dgR = TestUtil.ToDouble(dg); var duR = TestUtil.ToDouble(du);
            Kernels.SwiGluBackward(g, u, dy, dg, du);
            var yR = new double[len];
            Reference.SwiGluForward(TestUtil.ToDouble(g), TestUtil.ToDouble(u), yR);
            Reference.SwiGluBackward(TestUtil.ToDouble(g), TestUtil.ToDouble(u), TestUtil.ToDouble(dy), dgR, duR);
            cmp.Add($"swiglu y {len}", yR, y, TestUtil.FloatKernel);
            cmp.Add($"swiglu dGate {len}", dgR, dg, TestUtil.FloatKernel);
            cmp.Add($"swiglu dUp {len}", duR, du, TestUtil.FloatKernel);
            // overwrite mode: the old contents (random here) must not leak in
            var dgO = TestUtil.RandomFloats(rng, len); var duO = TestUtil.RandomFloats(rng, len);
            var dgOR = new double[len]; var duOR = new double[len];
            Kernels.SwiGluBackward(g, u, dy, dgO, duO, accumulate: false);
            Reference.SwiGluBackward(TestUtil.ToDouble(g), TestUtil.ToDouble(u), TestUtil.ToDouble(dy), dgOR, duOR);
            cmp.Add($"swiglu dGate overwrite {len}", dgOR, dgO, TestUtil.FloatKernel);
            cmp.Add($"swiglu dUp overwrite {len}", duOR, duO, TestUtil.FloatKernel);

            var a = TestUtil.RandomFloats(rng, len); var ya = new float[len]; var yaR = new double[len];
            Kernels.ResidualForward(a, u, ya);
            Reference.ResidualForward(TestUtil.ToDouble(a), TestUtil.ToDouble(u), yaR);
            cmp.Add($"residual {len}", yaR, ya, TestUtil.FloatKernel);

            var yr = new float[len]; var yrR = new double[len];
            Kernels.ReluForward(g, yr);
            Reference.ReluForward(TestUtil.ToDouble(g), yrR);
            var dr = TestUtil.RandomFloats(rng, len); var drR = TestUtil.ToDouble(dr);
            Kernels.ReluBackward(g, dy, dr);
            Reference.ReluBackward(TestUtil.ToDouble(g), TestUtil.ToDouble(dy), drR);
            cmp.Add($"relu y {len}", yrR, yr, TestUtil.FloatKernel);
            cmp.Add($"relu dInput {len}", drR, dr, TestUtil.FloatKernel);
        }
        TestUtil.AssertAllOk(cmp, "element-wise fast vs reference");
    }

    [Theory, MemberData(nameof(Widths))]
    public void EmbeddingForwardBackward(int width)
    {
        var rng = new Random(7 + width);
        int vocab = 13;
        int[] tokens = [3, 0, 12, 3, 3, 7];
        var table = TestUtil.RandomFloats(rng, vocab * width);
        var dy = TestUtil.RandomFloats(rng, tokens.Length * width);
        var y = new float[tokens.Length * width]; var yR = new double[y.Length];
        Kernels.EmbeddingForward(tokens, table, width, y);
        Reference.EmbeddingForward(tokens, TestUtil.ToDouble(table), width, yR);
        var dt = new float[table.Length]; var dtR = new double[table.Length];
        Kernels.EmbeddingBackward(tokens, dy, width, dt);
        Reference.EmbeddingBackward(tokens, TestUtil.ToDouble(dy), width, dtR);
        var cmp = new TensorComparison();
        cmp.Add($"embedding y {width}", yR, y, TestUtil.FloatKernel);
        cmp.Add($"embedding dTable {width}", dtR, dt, TestUtil.FloatKernel);
        TestUtil.AssertAllOk(cmp, "embedding fast vs reference");
    }

    [Theory]
    [InlineData(2), InlineData(8), InlineData(16), InlineData(18), InlineData(64)]
    public void RopeForwardBackward(int headDim)
    {
        var rng = new Random(headDim);
        var (cos, sin) = Kernels.RopeTables(10000, headDim, 300);
        var cosD = TestUtil.ToDouble(cos); var sinD = TestUtil.ToDouble(sin);
        var cmp = new TensorComparison();
        foreach (int rows in new[] { 0, 1, 5, 299 })
        {
            var pos = Enumerable.Range(0, rows).Select(i => (i * 37) % 300).ToArray();
            int heads = 3;
            var x = TestUtil.RandomFloats(rng, rows * heads * headDim);
            var xR = TestUtil.ToDouble(x);
            Kernels.RopeForward(pos, cos, sin, heads, headDim, x);
            Reference.RopeForward(pos, cosD, sinD, heads, headDim, xR);
            cmp.Add($"rope fwd {rows}x{heads}x{headDim}", xR, x, TestUtil.FloatKernel);
            Kernels.RopeBackward(pos, cos, sin, heads, headDim, x);
            Reference.RopeBackward(pos, cosD, sinD, heads, headDim, xR);
            cmp.Add($"rope bwd {rows}x{heads}x{headDim}", xR, x, TestUtil.FloatKernel);
        }
        TestUtil.AssertAllOk(cmp, "RoPE fast vs reference");
    }

    [Fact]
    public void RopeTablesMatchTheFormula()
    {
        var (cos, sin) = Kernels.RopeTables(1_000_000, 8, 50);
        var (cosR, sinR) = Reference.RopeTables(1_000_000, 8, 50);
        var cmp = new TensorComparison();
        // the fast table follows HF's float32 arithmetic (angle = pos · inv_freq in float): at pos ≤ 49
        // the angle's float rounding is ≤ 49·6e-8 ≈ 3e-6 radians.
        var tol = new Tolerance("float32-angle", 5e-6, 0);
        cmp.Add("rope cos", cosR, cos, tol);
        cmp.Add("rope sin", sinR, sin, tol);
        TestUtil.AssertAllOk(cmp, "RoPE tables");
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 1)]
    [InlineData(2, 7, 4, 2, 8)]
    [InlineData(1, 65, 2, 1, 9)]
    [InlineData(3, 130, 4, 4, 16)]
    [InlineData(2, 17, 6, 2, 32)]
    [InlineData(1, 41, 2, 1, 40)]
    [InlineData(1, 70, 4, 2, 64)]
    public void AttentionForwardBackward(int b, int t, int h, int hkv, int d)
    {
        var cmp = new TensorComparison();
        foreach (int width in new[] { 16, 32 })   // both micro-kernels (the 32-wide one is exact in software without AVX-512)
        {
            var rng = new Random(b * 1000 + t);
            var q = TestUtil.RandomFloats(rng, b * t * h * d); var k = TestUtil.RandomFloats(rng, b * t * hkv * d);
            var v = TestUtil.RandomFloats(rng, b * t * hkv * d); var dy = TestUtil.RandomFloats(rng, b * t * h * d);
            var y = new float[q.Length]; var p = new float[b * h * t * t];
            Kernels.AttentionForward(q, k, v, b, t, h, hkv, d, y, p, width);
            var dq = TestUtil.RandomFloats(rng, q.Length); var dk = TestUtil.RandomFloats(rng, k.Length); var dv = TestUtil.RandomFloats(rng, v.Length);
            var dqR = TestUtil.ToDouble(dq); var dkR = TestUtil.ToDouble(dk); var dvR = TestUtil.ToDouble(dv);
            Kernels.AttentionBackward(q, k, v, p, dy, b, t, h, hkv, d, dq, dk, dv, width);
            var yR = new double[q.Length]; var pR = new double[p.Length];
            Reference.AttentionForward(TestUtil.ToDouble(q), TestUtil.ToDouble(k), TestUtil.ToDouble(v), b, t, h, hkv, d, yR, pR);
            Reference.AttentionBackward(TestUtil.ToDouble(q), TestUtil.ToDouble(k), TestUtil.ToDouble(v), pR, TestUtil.ToDouble(dy), b, t, h, hkv, d, dqR, dkR, dvR);
            cmp.Add($"attention out (NR {width})", yR, y, TestUtil.FloatKernel);
            cmp.Add($"attention probs (NR {width})", pR, p, TestUtil.FloatKernel);
            cmp.Add($"attention dq (NR {width})", dqR, dq, TestUtil.FloatKernel);
            cmp.Add($"attention dk (NR {width})", dkR, dk, TestUtil.FloatKernel);
            cmp.Add($"attention dv (NR {width})", dvR, dv, TestUtil.FloatKernel);
        }
        TestUtil.AssertAllOk(cmp, $"attention B={b} T={t} H={h} Hkv={hkv} D={d}");
    }

    [Fact]
    public void AttentionDecodeEqualsLastRowOfCausalAttention()
    {
        var rng = new Random(3);
        int b = 3, t = 21, h = 4, hkv = 2, d = 8, qd = h * d, kd = hkv * d;
        var q = TestUtil.RandomFloats(rng, b * t * qd); var k = TestUtil.RandomFloats(rng, b * t * kd); var v = TestUtil.RandomFloats(rng, b * t * kd);
        var y = new float[q.Length];
        Kernels.AttentionForward(q, k, v, b, t, h, hkv, d, y, new float[b * h * t * t]);
        var cmp = new TensorComparison();
        foreach (int len in new[] { 1, 9, t })
        {
            var qLast = new float[b * qd]; var yExp = new float[b * qd];
            for (int s = 0; s < b; s++)
            {
                q.AsSpan((s * t + len - 1) * qd, qd).CopyTo(qLast.AsSpan(s * qd));
                y.AsSpan((s * t + len - 1) * qd, qd).CopyTo(yExp.AsSpan(s * qd));
            }
            var outp = new float[b * qd];
            Kernels.AttentionDecode(qLast, k, v, Enumerable.Repeat(len, b).ToArray(), b, t, h, hkv, d, outp);
            cmp.Add($"decode len {len}", yExp, outp, TestUtil.FloatKernel);
        }
        TestUtil.AssertAllOk(cmp, "attention decode vs full");
    }

    [Theory]
    [InlineData(1), InlineData(7), InlineData(8), InlineData(9), InlineData(17), InlineData(1000)]
    public void LogSoftmaxForwardBackward(int vocab)
    {
        var rng = new Random(vocab);
        var cmp = new TensorComparison();
        foreach (int rows in new[] { 0, 1, 5, 300 })
        {
            var z = TestUtil.RandomFloats(rng, rows * vocab, 5);
            var targets = Enumerable.Range(0, rows).Select(i => i % 4 == 3 ? -1 : (i * 31) % vocab).ToArray();
            var lp = new float[rows]; var ent = new float[rows]; var lse = new float[rows];
            Kernels.LogSoftmaxForward(z, targets, rows, vocab, lp, ent, lse);
            var lpR = new double[rows]; var entR = new double[rows]; var lseR = new double[rows];
            Reference.LogSoftmaxForward(TestUtil.ToDouble(z), targets, rows, vocab, lpR, entR, lseR);
            var dl = TestUtil.RandomFloats(rng, rows); var de = TestUtil.RandomFloats(rng, rows);
            foreach (var withEntropy in new[] { false, true })
            {
                var dz = TestUtil.RandomFloats(rng, rows * vocab); var dzR = TestUtil.ToDouble(dz);
                Kernels.LogSoftmaxBackward(z, targets, lse, dl, withEntropy ? de : default, rows, vocab, dz);
                Reference.LogSoftmaxBackward(TestUtil.ToDouble(z), targets, lseR, TestUtil.ToDouble(dl), withEntropy ? TestUtil.ToDouble(de) : default, rows, vocab, dzR);
                cmp.Add($"logsoftmax dz {rows}x{vocab} entropy={withEntropy}", dzR, dz, TestUtil.FloatKernel);
                // overwrite mode, with some rows carrying no gradient at all (they must come out zero)
                var dlSparse = dl.Select((x, i) => i % 3 == 1 ? 0f : x).ToArray();
                var deSparse = de.Select((x, i) => i % 3 == 1 ? 0f : x).ToArray();
                var dzO = TestUtil.RandomFloats(rng, rows * vocab); var dzOR = new double[rows * vocab];
                Kernels.LogSoftmaxBackward(z, targets, lse, dlSparse, withEntropy ? deSparse : default, rows, vocab, dzO, accumulate: false);
                Reference.LogSoftmaxBackward(TestUtil.ToDouble(z), targets, lseR, TestUtil.ToDouble(dlSparse), withEntropy ? TestUtil.ToDouble(deSparse) : default, rows, vocab, dzOR);
                cmp.Add($"logsoftmax dz overwrite {rows}x{vocab} entropy={withEntropy}", dzOR, dzO, TestUtil.FloatKernel);
            }
            // log-sum-exp of logits up to ±5 over 1000 entries is ~ 10: float relative eps → ~1e-6 absolute
            cmp.Add($"logsoftmax logp {rows}x{vocab}", lpR, lp, TestUtil.FloatKernel);
            cmp.Add($"logsoftmax entropy {rows}x{vocab}", entR, ent, TestUtil.FloatKernel);
            cmp.Add($"logsoftmax lse {rows}x{vocab}", lseR, lse, TestUtil.FloatKernel);
        }
        TestUtil.AssertAllOk(cmp, "log-softmax fast vs reference");
    }

    [Theory, MemberData(nameof(Widths))]
    public void AdamWMatchesReferenceOverThreeSteps(int n)
    {
        var rng = new Random(n);
        var opt = new AdamWOptions { LearningRate = 1e-2f, Beta1 = 0.9f, Beta2 = 0.95f, Eps = 1e-8f, WeightDecay = 0.1f };
        foreach (int len in new[] { n, n * 1000 + 3 })
        {
            var p = TestUtil.RandomFloats(rng, len); var m = new float[len]; var v = new float[len];
            var pR = TestUtil.ToDouble(p); var mR = new double[len]; var vR = new double[len];
            var cmp = new TensorComparison();
            for (int step = 1; step <= 3; step++)
            {
                var g = TestUtil.RandomFloats(rng, len);
                Kernels.AdamWStep(p, g, m, v, opt, step);
                Reference.AdamWStep(pR, TestUtil.ToDouble(g), mR, vR, 1e-2, 0.9, 0.95, 1e-8, 0.1, step);
            }
            cmp.Add($"adamw param {len}", pR, p, TestUtil.FloatKernel);
            cmp.Add($"adamw m {len}", mR, m, TestUtil.FloatKernel);
            cmp.Add($"adamw v {len}", vR, v, TestUtil.FloatKernel);
            TestUtil.AssertAllOk(cmp, "AdamW fast vs reference");
        }
    }

    [Fact]
    public void GlobalNormClipping()
    {
        var rng = new Random(9);
        var a = TestUtil.RandomFloats(rng, 1001); var b = TestUtil.RandomFloats(rng, 17);
        double expected = Reference.GlobalNorm([TestUtil.ToDouble(a), TestUtil.ToDouble(b)]);
        var a0 = (float[])a.Clone();
        double norm = Kernels.ClipGlobalNorm([a, b], expected / 2);
        Assert.Equal(expected, norm, 1e-4);
        double coef = expected / 2 / (expected + 1e-6);
        var cmp = new TensorComparison();
        cmp.Add("clipped", TestUtil.ToDouble(a0).Select(x => x * coef).ToArray(), a, TestUtil.FloatKernel);
        TestUtil.AssertAllOk(cmp, "clip_grad_norm_");
        var a1 = (float[])a.Clone();
        Kernels.ClipGlobalNorm([a], 1e9);     // below the threshold: untouched
        Assert.Equal(a1, a);
    }
}
