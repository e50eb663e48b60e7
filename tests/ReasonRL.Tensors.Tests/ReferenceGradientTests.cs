// Double-precision finite-difference checks of every reference backward kernel (docs/conventions.md §8):
// loss = Σ w ⊙ forward(inputs) with random w; the analytic gradient from the backward (fed dy = w)
// must equal central differences of the loss for every input element.
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Tensors.Tests;

public sealed class ReferenceGradientTests
{
    private static readonly Random Rng = new(1234);

    [Fact]
    public void RmsNorm()
    {
        int n = 3, c = 7;
        var x = TestUtil.RandomDoubles(Rng, n * c);
        var w = TestUtil.RandomDoubles(Rng, c);
        var dy = TestUtil.RandomDoubles(Rng, n * c);
        double Loss()
        {
            var y = new double[n * c];
            Reference.RmsNormForward(x, w, n, c, 1e-5, y, new double[n]);
            return TestUtil.WeightedSum(y, dy);
        }
        var y0 = new double[n * c]; var rstd = new double[n];
        Reference.RmsNormForward(x, w, n, c, 1e-5, y0, rstd);
        var dx = new double[n * c]; var dw = new double[c];
        Reference.RmsNormBackward(x, w, rstd, dy, n, c, dx, dw);
        var cmp = new TensorComparison();
        cmp.Add("rmsnorm dInput", TestUtil.NumericGradient(x, Loss), dx, TestUtil.FiniteDifference);
        cmp.Add("rmsnorm dWeight", TestUtil.NumericGradient(w, Loss), dw, TestUtil.FiniteDifference);
        TestUtil.AssertAllOk(cmp, "RMSNorm finite differences");
    }

    [Fact]
    public void Rope()
    {
        int n = 4, heads = 2, d = 6;
        var (cos, sin) = Reference.RopeTables(10000, d, 16);
        int[] pos = [0, 3, 7, 15];
        var x = TestUtil.RandomDoubles(Rng, n * heads * d);
        var dy = TestUtil.RandomDoubles(Rng, n * heads * d);
        double Loss()
        {
            var y = (double[])x.Clone();
            Reference.RopeForward(pos, cos, sin, heads, d, y);
            return TestUtil.WeightedSum(y, dy);
        }
        var dx = (double[])dy.Clone();
        Reference.RopeBackward(pos, cos, sin, heads, d, dx);
        var cmp = new TensorComparison();
        cmp.Add("rope dInput", TestUtil.NumericGradient(x, Loss), dx, TestUtil.FiniteDifference);
        TestUtil.AssertAllOk(cmp, "RoPE finite differences");
    }

    [Fact]
    public void CausalGroupedQueryAttention()
    {
        int b = 2, t = 5, h = 4, hkv = 2, d = 3;
        var q = TestUtil.RandomDoubles(Rng, b * t * h * d);
        var k = TestUtil.RandomDoubles(Rng, b * t * hkv * d);
        var v = TestUtil.RandomDoubles(Rng, b * t * hkv * d);
        var dy = TestUtil.RandomDoubles(Rng, b * t * h * d);
        double Loss()
        {
            var y = new double[b * t * h * d];
            Reference.AttentionForward(q, k, v, b, t, h, hkv, d, y, new double[b * h * t * t]);
            return TestUtil.WeightedSum(y, dy);
        }
        var probs = new double[b * h * t * t];
        Reference.AttentionForward(q, k, v, b, t, h, hkv, d, new double[b * t * h * d], probs);
        var dq = new double[q.Length]; var dk = new double[k.Length]; var dv = new double[v.Length];
        Reference.AttentionBackward(q, k, v, probs, dy, b, t, h, hkv, d, dq, dk, dv);
        var cmp = new TensorComparison();
        cmp.Add("attention dq", TestUtil.NumericGradient(q, Loss), dq, TestUtil.FiniteDifference);
        cmp.Add("attention dk", TestUtil.NumericGradient(k, Loss), dk, TestUtil.FiniteDifference);
        cmp.Add("attention dv", TestUtil.NumericGradient(v, Loss), dv, TestUtil.FiniteDifference);
        TestUtil.AssertAllOk(cmp, "attention finite differences");
    }

    [Fact]
    public void SwiGluResidualLinear()
    {
        int n = 11;
        var g = TestUtil.RandomDoubles(Rng, n, 3);
        var u = TestUtil.RandomDoubles(Rng, n);
        var dy = TestUtil.RandomDoubles(Rng, n);
        double Loss()
        {
            var y = new double[n];
            Reference.SwiGluForward(g, u, y);
            return TestUtil.WeightedSum(y, dy);
        }
        var dg = new double[n]; var du = new double[n];
        Reference.SwiGluBackward(g, u, dy, dg, du);
        var cmp = new TensorComparison();
        cmp.Add("swiglu dGate", TestUtil.NumericGradient(g, Loss), dg, TestUtil.FiniteDifference);
        cmp.Add("swiglu dUp", TestUtil.NumericGradient(u, Loss), du, TestUtil.FiniteDifference);

        var a = TestUtil.RandomDoubles(Rng, n); var bb = TestUtil.RandomDoubles(Rng, n);
        double LossRes() { var y = new double[n]; Reference.ResidualForward(a, bb, y); return TestUtil.WeightedSum(y, dy); }
        var da = new double[n]; var db = new double[n];
        Reference.ResidualBackward(dy, da, db);
        cmp.Add("residual dA", TestUtil.NumericGradient(a, LossRes), da, TestUtil.FiniteDifference);
        cmp.Add("residual dB", TestUtil.NumericGradient(bb, LossRes), db, TestUtil.FiniteDifference);

        int rows = 3, inDim = 5, outDim = 4;
        var x = TestUtil.RandomDoubles(Rng, rows * inDim); var w = TestUtil.RandomDoubles(Rng, outDim * inDim);
        var bias = TestUtil.RandomDoubles(Rng, outDim); var dl = TestUtil.RandomDoubles(Rng, rows * outDim);
        double LossLin() { var y = new double[rows * outDim]; Reference.LinearForward(x, w, bias, rows, inDim, outDim, y); return TestUtil.WeightedSum(y, dl); }
        var dx = new double[x.Length]; var dw = new double[w.Length]; var dbias = new double[outDim];
        Reference.LinearBackward(x, w, dl, rows, inDim, outDim, dx, dw, dbias);
        cmp.Add("linear dx", TestUtil.NumericGradient(x, LossLin), dx, TestUtil.FiniteDifference);
        cmp.Add("linear dW", TestUtil.NumericGradient(w, LossLin), dw, TestUtil.FiniteDifference);
        cmp.Add("linear dBias", TestUtil.NumericGradient(bias, LossLin), dbias, TestUtil.FiniteDifference);
        var r = TestUtil.RandomDoubles(Rng, n);
        double LossRelu() { var y = new double[n]; Reference.ReluForward(r, y); return TestUtil.WeightedSum(y, dy); }
        var dr = new double[n];
        Reference.ReluBackward(r, dy, dr);
        cmp.Add("relu dInput", TestUtil.NumericGradient(r, LossRelu), dr, TestUtil.FiniteDifference);
        TestUtil.AssertAllOk(cmp, "SwiGLU / residual / linear / ReLU finite differences");
    }

    [Fact]
    public void EmbeddingWithRepeatedTokens()
    {
        int vocab = 5, c = 3;
        int[] tokens = [1, 4, 1, 0];
        var table = TestUtil.RandomDoubles(Rng, vocab * c);
        var dy = TestUtil.RandomDoubles(Rng, tokens.Length * c);
        double Loss() { var y = new double[tokens.Length * c]; Reference.EmbeddingForward(tokens, table, c, y); return TestUtil.WeightedSum(y, dy); }
        var dt = new double[table.Length];
        Reference.EmbeddingBackward(tokens, dy, c, dt);
        var cmp = new TensorComparison();
        cmp.Add("embedding dTable", TestUtil.NumericGradient(table, Loss), dt, TestUtil.FiniteDifference);
        TestUtil.AssertAllOk(cmp, "embedding finite differences");
    }

    [Fact]
    public void LogSoftmaxLogProbsAndEntropy()
    {
        int n = 4, vocab = 6;
        int[] targets = [2, -1, 5, 0];
        var z = TestUtil.RandomDoubles(Rng, n * vocab, 3);
        var wl = TestUtil.RandomDoubles(Rng, n);
        var we = TestUtil.RandomDoubles(Rng, n);
        double Loss()
        {
            var lp = new double[n]; var ent = new double[n];
            Reference.LogSoftmaxForward(z, targets, n, vocab, lp, ent, new double[n]);
            return TestUtil.WeightedSum(lp, wl) + TestUtil.WeightedSum(ent, we);
        }
        var lp0 = new double[n]; var e0 = new double[n]; var lse = new double[n];
        Reference.LogSoftmaxForward(z, targets, n, vocab, lp0, e0, lse);
        Assert.Equal(0.0, lp0[1]);   // ignored target contributes nothing
        var dz = new double[z.Length];
        Reference.LogSoftmaxBackward(z, targets, lse, wl, we, n, vocab, dz);
        var cmp = new TensorComparison();
        cmp.Add("logsoftmax dLogits", TestUtil.NumericGradient(z, Loss), dz, TestUtil.FiniteDifference);
        TestUtil.AssertAllOk(cmp, "log-softmax finite differences");
    }
}
