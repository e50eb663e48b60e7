// Heads: scalar (value / ORM) and PRM (Qwen2.5-Math-PRM layout) — double references checked by
// finite differences, float heads checked against the references (outputs, dHidden, parameter grads),
// and the heads driving the transformer's backward from dHidden.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Models.Tests;

public sealed class HeadTests
{
    private static double[] Widen(ReadOnlySpan<float> x) { var d = new double[x.Length]; for (int i = 0; i < d.Length; i++) d[i] = x[i]; return d; }

    private static double[] Numeric(double[] x, Func<double> loss) => FiniteDifference.Central(x, loss);

    private static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }

    [Fact]
    public void ScalarHeadReferenceFiniteDifferencesAndFloatHead()
    {
        int rows = 5, c = 9;
        var rng = new Rng(1);
        using var head = new ScalarHead(c, "score", bias: true);
        ParameterLayout.FillNormal(rng, head.Parameters["score.weight"], 0.5f);
        head.Parameters["score.bias"][0] = 0.3f;
        var hidden = new float[rows * c]; ParameterLayout.FillNormal(rng, hidden, 1f);
        var dValues = new float[rows]; ParameterLayout.FillNormal(rng, dValues, 1f);

        var h = Widen(hidden); var w = Widen(head.Parameters["score.weight"]); var b = new double[] { 0.3f }; var dv = Widen(dValues);
        double Loss() { var v = new double[rows]; ScalarHead.ReferenceForward(h, w, b[0], rows, c, v); return Dot(v, dv); }
        var dh = new double[h.Length]; var dw = new double[c]; var db = new double[1];
        ScalarHead.ReferenceBackward(h, w, dv, rows, c, dh, dw, db);
        var cmp = new TensorComparison();
        cmp.Add("ref dHidden (FD)", Numeric(h, Loss), dh, ModelTestUtil.FiniteDifference);
        cmp.Add("ref dWeight (FD)", Numeric(w, Loss), dw, ModelTestUtil.FiniteDifference);
        cmp.Add("ref dBias (FD)", Numeric(b, Loss), db, ModelTestUtil.FiniteDifference);

        var refValues = new double[rows];
        ScalarHead.ReferenceForward(h, w, b[0], rows, c, refValues);
        cmp.Add("values", refValues, head.Forward(hidden, rows), ModelTestUtil.FloatModel);
        var dHidden = new float[rows * c];
        head.Backward(hidden, dValues, rows, dHidden);
        cmp.Add("dHidden", dh, dHidden, ModelTestUtil.FloatModel);
        cmp.Add("dWeight", dw, head.Gradients["score.weight"], ModelTestUtil.FloatModel);
        cmp.Add("dBias", db, head.Gradients["score.bias"], ModelTestUtil.FloatModel);
        ModelTestUtil.AssertAllOk(cmp, "scalar head");
    }

    [Fact]
    public void PrmHeadReferenceFiniteDifferencesAndFloatHead()
    {
        int rows = 6, c = 8;
        var rng = new Rng(2);
        using var head = new PrmHead(c, new ManagedGemm());
        foreach (var e in head.Layout.Entries) ParameterLayout.FillNormal(rng, head.Parameters.View(e), 0.5f);
        Assert.Equal(["score.0.weight", "score.0.bias", "score.2.weight", "score.2.bias"], head.Layout.Entries.Select(e => e.Name));
        var hidden = new float[rows * c]; ParameterLayout.FillNormal(rng, hidden, 1f);
        var dLogits = new float[rows * 2]; ParameterLayout.FillNormal(rng, dLogits, 1f);

        var h = Widen(hidden); var w0 = Widen(head.Parameters["score.0.weight"]); var b0 = Widen(head.Parameters["score.0.bias"]);
        var w2 = Widen(head.Parameters["score.2.weight"]); var b2 = Widen(head.Parameters["score.2.bias"]); var dl = Widen(dLogits);
        double Loss() => Dot(PrmHead.ReferenceForward(h, w0, b0, w2, b2, rows, c, out _), dl);
        var refLogits = PrmHead.ReferenceForward(h, w0, b0, w2, b2, rows, c, out var pre);
        var dh = new double[h.Length]; var dw0 = new double[w0.Length]; var db0 = new double[c]; var dw2 = new double[w2.Length]; var db2 = new double[2];
        PrmHead.ReferenceBackward(h, w0, w2, pre, dl, rows, c, dh, dw0, db0, dw2, db2);
        var cmp = new TensorComparison();
        cmp.Add("ref dHidden (FD)", Numeric(h, Loss), dh, ModelTestUtil.FiniteDifference);
        cmp.Add("ref score.0.weight (FD)", Numeric(w0, Loss), dw0, ModelTestUtil.FiniteDifference);
        cmp.Add("ref score.0.bias (FD)", Numeric(b0, Loss), db0, ModelTestUtil.FiniteDifference);
        cmp.Add("ref score.2.weight (FD)", Numeric(w2, Loss), dw2, ModelTestUtil.FiniteDifference);
        cmp.Add("ref score.2.bias (FD)", Numeric(b2, Loss), db2, ModelTestUtil.FiniteDifference);

        var logits = head.Forward(hidden, rows).ToArray();
        cmp.Add("logits", refLogits, logits, ModelTestUtil.FloatModel);
        double p1 = 1 / (1 + Math.Exp(refLogits[0] - refLogits[1]));
        Assert.Equal(p1, head.PositiveProbability(0), 1e-5);
        var dHidden = new float[rows * c];
        head.Backward(hidden, dLogits, dHidden);
        cmp.Add("dHidden", dh, dHidden, ModelTestUtil.FloatModel);
        cmp.Add("score.0.weight grad", dw0, head.Gradients["score.0.weight"], ModelTestUtil.FloatModel);
        cmp.Add("score.0.bias grad", db0, head.Gradients["score.0.bias"], ModelTestUtil.FloatModel);
        cmp.Add("score.2.weight grad", dw2, head.Gradients["score.2.weight"], ModelTestUtil.FloatModel);
        cmp.Add("score.2.bias grad", db2, head.Gradients["score.2.bias"], ModelTestUtil.FloatModel);
        ModelTestUtil.AssertAllOk(cmp, "PRM head");
    }

    [Fact]
    public void ValueHeadOnTheTransformerMatchesFiniteDifferencesOfTheFloatModel()
    {
        // loss = Σ_n dv[n]·value[n]; its gradient w.r.t. a few transformer parameters via Backward(dHidden)
        // must match central differences of the float model. Float FD: h = 1e-2 on O(0.3) parameters gives
        // truncation ~h²·|f'''| ≈ 1e-4 and round-off ~1e-7/h = 1e-5 relative to the O(1) loss: 2e-3 + 2e-2·|g|.
        var cfg = ModelTestUtil.Tiny();
        using var model = new Transformer(cfg, new ManagedGemm());
        ModelTestUtil.RandomizeForTests(model.Layout, model.Parameters, 4);
        using var head = new ScalarHead(cfg.HiddenSize);
        head.InitializeRandom(3, 0.5f);
        var rng = new Rng(6);
        int b = 2, t = 4, n = b * t;
        var tokens = ModelTestUtil.RandomTokens(rng, n, cfg.VocabSize);
        var dv = new float[n]; ParameterLayout.FillNormal(rng, dv, 1f);
        double Loss()
        {
            model.Forward(tokens, b, t);
            var v = head.Forward(model.Activations.Saved.View(model.Activations.Hidden), n);
            double s = 0; for (int i = 0; i < n; i++) s += (double)v[i] * dv[i]; return s;
        }
        Loss();
        model.ZeroGradients();
        var dHidden = new float[n * cfg.HiddenSize];
        head.Backward(model.Activations.Saved.View(model.Activations.Hidden), dv, n, dHidden);
        model.Backward(dHidden);
        var cmp = new TensorComparison();
        var tol = new Tolerance("float-fd-h1e-2", 2e-3, 2e-2);
        foreach (var name in new[] { "model.layers.0.self_attn.q_proj.weight", "model.layers.1.mlp.down_proj.weight", "model.norm.weight", "model.embed_tokens.weight" })
        {
            var p = model.Parameters[name];
            int count = Math.Min(p.Length, 24);
            var numeric = new double[count];
            for (int i = 0; i < count; i++)
            {
                float old = p[i];
                p[i] = old + 1e-2f; double lp = Loss();
                p[i] = old - 1e-2f; double lm = Loss();
                p[i] = old;
                numeric[i] = (lp - lm) / 2e-2;
            }
            cmp.Add(name, numeric, Widen(model.Gradients![name][..count]), tol);
        }
        ModelTestUtil.AssertAllOk(cmp, "value head through the transformer");
    }
}
