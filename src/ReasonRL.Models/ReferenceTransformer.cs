// ReferenceTransformer: the scalar double-precision reference of Transformer (docs/conventions.md §6, §8),
// built only from Reference.* kernels over plain arrays laid out exactly like the parameter slab.
// What it is: the specification the fast float model is tested against, and the model whose
// backward is checked by finite differences in double. What it is not: fast, or used in training.
// Glossary: B sequences, T tokens, N = B·T, C width, H/Hkv heads, D head dim, F SwiGLU width, V vocab.
using ReasonRL.Tensors;

namespace ReasonRL.Models;

/// <summary>Double-precision reference forward (mean cross-entropy) and backward of the transformer.</summary>
public sealed class ReferenceTransformer
{
    private readonly double[] _cos, _sin;

    public ModelConfig Config { get; }
    public ParameterLayout Layout { get; }

    /// <summary>Parameters, flat, at the same offsets as the float slab (padding unused).</summary>
    public double[] Parameters { get; }

    public ReferenceTransformer(ModelConfig config)
    {
        Config = config.Validate();
        Layout = new ParameterLayout(config);
        Parameters = new double[Layout.Slab.TotalLength];
        (_cos, _sin) = Reference.RopeTables(config.ReferenceRopeInverseFrequencies(), config.MaxPositionEmbeddings);
    }

    /// <summary>Copies (widens) the float parameters of a slab with the same layout.</summary>
    public void CopyFrom(NativeSlab parameters)
    {
        foreach (var e in Layout.Slab.Entries)
        {
            var src = parameters.View(e);
            for (int i = 0; i < e.Length; i++) Parameters[e.Offset + i] = src[i];
        }
    }

    private Span<double> P(SlabEntry e) => Parameters.AsSpan((int)e.Offset, e.Length);

    private sealed class Saved
    {
        public double[] Input = [], Norm1 = [], Rstd1 = [], Q = [], K = [], V = [], Probs = [], Attn = [], Mid = [], Norm2 = [], Rstd2 = [], Gate = [], Up = [], Act = [];
        public double[] QRaw = [], KRaw = [], QRstd = [], KRstd = [];   // QkNorm only
    }

    /// <summary>
    /// Mean cross-entropy of targets [N] (−1 ignored) given tokens [B, T]; logits [N, V] come back too.
    /// With <paramref name="gradients"/> (length = parameter slab length) the gradient is accumulated into it.
    /// </summary>
    public double Loss(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int tokenCount, out double[] logits, double[]? gradients = null)
    {
        var cfg = Config;
        int n = batch * tokenCount, c = cfg.HiddenSize, qd = cfg.QueryDim, kd = cfg.KvDim, f = cfg.IntermediateSize, v = cfg.VocabSize;
        var positions = new int[n];
        for (int i = 0; i < n; i++) positions[i] = i % tokenCount;
        var saved = new Saved[cfg.LayerCount];
        var x = new double[n * c];
        Reference.EmbeddingForward(tokens, P(Layout.Embedding), c, x);
        for (int l = 0; l < cfg.LayerCount; l++)
        {
            var w = Layout.Layers[l];
            var s = saved[l] = new Saved
            {
                Input = x, Norm1 = new double[n * c], Rstd1 = new double[n], Q = new double[n * qd], K = new double[n * kd], V = new double[n * kd],
                Probs = new double[batch * cfg.HeadCount * tokenCount * tokenCount], Attn = new double[n * qd], Mid = new double[n * c],
                Norm2 = new double[n * c], Rstd2 = new double[n], Gate = new double[n * f], Up = new double[n * f], Act = new double[n * f],
            };
            Reference.RmsNormForward(s.Input, P(w.InputNorm), n, c, cfg.RmsNormEps, s.Norm1, s.Rstd1);
            Reference.LinearForward(s.Norm1, P(w.QWeight), w.QBias is null ? default : P(w.QBias), n, c, qd, s.Q);
            Reference.LinearForward(s.Norm1, P(w.KWeight), w.KBias is null ? default : P(w.KBias), n, c, kd, s.K);
            if (cfg.QkNorm)
            {
                (s.QRaw, s.KRaw, s.QRstd, s.KRstd) = (s.Q, s.K, new double[n * cfg.HeadCount], new double[n * cfg.KvHeadCount]);
                (s.Q, s.K) = (new double[n * qd], new double[n * kd]);
                Reference.RmsNormForward(s.QRaw, P(w.QNorm!), n * cfg.HeadCount, cfg.HeadDim, cfg.RmsNormEps, s.Q, s.QRstd);
                Reference.RmsNormForward(s.KRaw, P(w.KNorm!), n * cfg.KvHeadCount, cfg.HeadDim, cfg.RmsNormEps, s.K, s.KRstd);
            }
            Reference.LinearForward(s.Norm1, P(w.VWeight), w.VBias is null ? default : P(w.VBias), n, c, kd, s.V);
            if (cfg.UsesRope(l))
            {
                Reference.RopeForward(positions, _cos, _sin, cfg.HeadCount, cfg.HeadDim, s.Q);
                Reference.RopeForward(positions, _cos, _sin, cfg.KvHeadCount, cfg.HeadDim, s.K);
            }
            Reference.AttentionForward(s.Q, s.K, s.V, batch, tokenCount, cfg.HeadCount, cfg.KvHeadCount, cfg.HeadDim, s.Attn, s.Probs);
            var o = new double[n * c];
            Reference.LinearForward(s.Attn, P(w.OWeight), default, n, qd, c, o);
            Reference.ResidualForward(s.Input, o, s.Mid);
            Reference.RmsNormForward(s.Mid, P(w.PostNorm), n, c, cfg.RmsNormEps, s.Norm2, s.Rstd2);
            Reference.LinearForward(s.Norm2, P(w.GateWeight), default, n, c, f, s.Gate);
            Reference.LinearForward(s.Norm2, P(w.UpWeight), default, n, c, f, s.Up);
            Reference.SwiGluForward(s.Gate, s.Up, s.Act);
            var down = new double[n * c];
            Reference.LinearForward(s.Act, P(w.DownWeight), default, n, f, c, down);
            x = new double[n * c];
            Reference.ResidualForward(s.Mid, down, x);
        }
        var hidden = new double[n * c]; var rstdF = new double[n];
        Reference.RmsNormForward(x, P(Layout.FinalNorm), n, c, cfg.RmsNormEps, hidden, rstdF);
        logits = new double[n * v];
        Reference.LinearForward(hidden, P(Layout.LmHead), default, n, c, v, logits);
        var logp = new double[n]; var ent = new double[n]; var lse = new double[n];
        Reference.LogSoftmaxForward(logits, targets, n, v, logp, ent, lse);
        int count = 0; double loss = 0;
        for (int i = 0; i < n; i++) if (targets[i] >= 0) { count++; loss -= logp[i]; }
        if (count > 0) loss /= count;
        if (gradients is null) return loss;

        // ---- backward (accumulates into gradients; same order as Transformer.Backward) ----
        Span<double> G(SlabEntry e) => gradients.AsSpan((int)e.Offset, e.Length);
        var dLogp = new double[n];
        for (int i = 0; i < n; i++) dLogp[i] = targets[i] >= 0 && count > 0 ? -1.0 / count : 0;
        var dLogits = new double[n * v];
        Reference.LogSoftmaxBackward(logits, targets, lse, dLogp, default, n, v, dLogits);
        var dHidden = new double[n * c];
        Reference.LinearBackward(hidden, P(Layout.LmHead), dLogits, n, c, v, dHidden, G(Layout.LmHead), default);
        var dx = new double[n * c];
        Reference.RmsNormBackward(x, P(Layout.FinalNorm), rstdF, dHidden, n, c, dx, G(Layout.FinalNorm));
        for (int l = cfg.LayerCount - 1; l >= 0; l--)
        {
            var w = Layout.Layers[l];
            var s = saved[l];
            var dMid = new double[n * c]; var dDown = new double[n * c];
            Reference.ResidualBackward(dx, dMid, dDown);
            var dAct = new double[n * f];
            Reference.LinearBackward(s.Act, P(w.DownWeight), dDown, n, f, c, dAct, G(w.DownWeight), default);
            var dGate = new double[n * f]; var dUp = new double[n * f];
            Reference.SwiGluBackward(s.Gate, s.Up, dAct, dGate, dUp);
            var dNorm2 = new double[n * c];
            Reference.LinearBackward(s.Norm2, P(w.GateWeight), dGate, n, c, f, dNorm2, G(w.GateWeight), default);
            Reference.LinearBackward(s.Norm2, P(w.UpWeight), dUp, n, c, f, dNorm2, G(w.UpWeight), default);
            Reference.RmsNormBackward(s.Mid, P(w.PostNorm), s.Rstd2, dNorm2, n, c, dMid, G(w.PostNorm));
            var dIn = new double[n * c]; var dO = new double[n * c];
            Reference.ResidualBackward(dMid, dIn, dO);
            var dAttn = new double[n * qd];
            Reference.LinearBackward(s.Attn, P(w.OWeight), dO, n, qd, c, dAttn, G(w.OWeight), default);
            var dq = new double[n * qd]; var dk = new double[n * kd]; var dv = new double[n * kd];
            Reference.AttentionBackward(s.Q, s.K, s.V, s.Probs, dAttn, batch, tokenCount, cfg.HeadCount, cfg.KvHeadCount, cfg.HeadDim, dq, dk, dv);
            if (cfg.UsesRope(l))
            {
                Reference.RopeBackward(positions, _cos, _sin, cfg.HeadCount, cfg.HeadDim, dq);
                Reference.RopeBackward(positions, _cos, _sin, cfg.KvHeadCount, cfg.HeadDim, dk);
            }
            if (cfg.QkNorm)
            {
                var dqRaw = new double[n * qd]; var dkRaw = new double[n * kd];
                Reference.RmsNormBackward(s.QRaw, P(w.QNorm!), s.QRstd, dq, n * cfg.HeadCount, cfg.HeadDim, dqRaw, G(w.QNorm!));
                Reference.RmsNormBackward(s.KRaw, P(w.KNorm!), s.KRstd, dk, n * cfg.KvHeadCount, cfg.HeadDim, dkRaw, G(w.KNorm!));
                (dq, dk) = (dqRaw, dkRaw);
            }
            var dNorm1 = new double[n * c];
            Reference.LinearBackward(s.Norm1, P(w.QWeight), dq, n, c, qd, dNorm1, G(w.QWeight), w.QBias is null ? default : G(w.QBias));
            Reference.LinearBackward(s.Norm1, P(w.KWeight), dk, n, c, kd, dNorm1, G(w.KWeight), w.KBias is null ? default : G(w.KBias));
            Reference.LinearBackward(s.Norm1, P(w.VWeight), dv, n, c, kd, dNorm1, G(w.VWeight), w.VBias is null ? default : G(w.VBias));
            Reference.RmsNormBackward(s.Input, P(w.InputNorm), s.Rstd1, dNorm1, n, c, dIn, G(w.InputNorm));
            dx = dIn;
        }
        Reference.EmbeddingBackward(tokens, dx, c, G(Layout.Embedding));
        return loss;
    }
}
