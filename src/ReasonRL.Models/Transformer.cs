// Transformer: a Qwen2 / Qwen3 / Llama decoder-only model over ReasonRL's kernels — training forward
// (saving what backward needs), LM head + cross-entropy, and the explicit backward into a gradient
// slab. Incremental decode with a KV cache lives in Transformer.Decode.cs.
// What it is not: the scalar / PRM heads (ScalarHead, PrmHead read Hidden and feed DHidden back),
// checkpoint IO, or the optimizer (AdamWOptimizer steps the slabs).
// Block (HF modeling_qwen2.py): x → x + o(attn(rope(q(rms1(x))), rope(k(…)), v(…))) → h;
//   Qwen3 (modeling_qwen3.py) RMS-normalises every query and key head (q_norm, k_norm over D) before rope;
//   SmolLM3 (modeling_smollm3.py) skips rope in its NoPE layers (no_rope_layers[l] = 0);
//   h → h + down(silu(gate(rms2(h))) ⊙ up(rms2(h))); final rms → hidden; logits = hidden · Eᵀ.
// Glossary: B sequences, T tokens, N = B·T, C width, H/Hkv heads, D head dim, F SwiGLU width, V vocab.
// Reference: karpathy/llm.c train_gpt2.c (structure), HF transformers Qwen2 (semantics).
using ReasonRL.Tensors;

namespace ReasonRL.Models;

/// <summary>Decoder-only transformer with explicit forward / backward (see file header).</summary>
public sealed partial class Transformer : IDisposable
{
    private readonly IGemm _gemm;
    private readonly float[] _ropeCos, _ropeSin;   // [maxPos, D/2]
    private TrainingActivations? _acts;
    private int[] _positions = [];
    private int[] _lastTokens = [];

    public ModelConfig Config { get; }
    public ParameterLayout Layout { get; }

    /// <summary>Parameters, laid out by <see cref="Layout"/>.</summary>
    public NativeSlab Parameters { get; }

    /// <summary>Gradients (same layout), created by <see cref="EnsureGradients"/>; backward accumulates here.</summary>
    public NativeSlab? Gradients { get; private set; }

    /// <summary>Saved activations of the last training forward.</summary>
    public TrainingActivations Activations => _acts ?? throw new InvalidOperationException("transformer: call Forward before reading activations");

    public IGemm Gemm => _gemm;

    /// <summary>A zero-initialised model (call InitializeRandom or load weights). RoPE tables cover MaxPositionEmbeddings.</summary>
    public Transformer(ModelConfig config, IGemm gemm)
    {
        Config = config.Validate();
        _gemm = gemm;
        Layout = new ParameterLayout(config);
        Parameters = new NativeSlab(Layout.Slab);
        (_ropeCos, _ropeSin) = Kernels.RopeTables(config.RopeInverseFrequencies(), config.MaxPositionEmbeddings);
    }

    /// <summary>HF-style random init for training from scratch (N(0, std²) matrices, zero biases, unit norms).</summary>
    public void InitializeRandom(int seed, float std = 0.02f) => Layout.InitializeRandom(Parameters, seed, std);

    /// <summary>
    /// A new transformer with <paramref name="extraLayers"/> decoder layers on top of a copy of this one's (same
    /// embedding, layers, final norm and LM head). Each new layer starts as the identity on the residual stream: its
    /// weights are drawn as <see cref="InitializeRandom"/> draws them (seeded), then its o_proj and down_proj are
    /// zeroed (zero-initialised residual branches), so the grown model computes exactly what this one does until
    /// training moves them. A reward model built on a policy uses it to gain depth: a layer above the policy's last
    /// can read, at a written token, what the policy predicted for it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="extraLayers"/> is negative.</exception>
    public Transformer WithExtraLayers(int extraLayers, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extraLayers);
        var grown = new Transformer(Config with { LayerCount = Config.LayerCount + extraLayers }, _gemm);
        try
        {
            grown.InitializeRandom(seed);
            foreach (var e in Layout.Slab.Entries) Parameters.View(e).CopyTo(grown.Parameters.View(grown.Layout.Slab[e.Name]));
            for (int i = Config.LayerCount; i < grown.Config.LayerCount; i++)
            {
                grown.Parameters.View(grown.Layout.Layers[i].OWeight).Clear();
                grown.Parameters.View(grown.Layout.Layers[i].DownWeight).Clear();
            }
            return grown;
        }
        catch
        {
            grown.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies every parameter from <paramref name="valuesByName"/> (HF key → row-major floats, e.g. an
    /// HfCheckpoint's Floats); throws naming the key whose element count differs from the layout's shape.
    /// </summary>
    public void LoadParameters(Func<string, float[]> valuesByName)
    {
        foreach (var e in Layout.Slab.Entries)
        {
            var values = valuesByName(e.Name);
            if (values.Length != e.Length)
                throw new ArgumentException($"transformer load: \"{e.Name}\" has {values.Length} values, expected {e.Length} for shape {e.ShapeText}");
            values.CopyTo(Parameters.View(e));
        }
    }

    /// <summary>Allocates the gradient slab on first use and returns it.</summary>
    public NativeSlab EnsureGradients() => Gradients ??= new NativeSlab(Layout.Slab);

    /// <summary>The single explicit ZeroGrad of a step.</summary>
    public void ZeroGradients() => EnsureGradients().Clear();

    private TrainingActivations EnsureActivations(int batch, int tokens)
    {
        if (_acts is { } a && a.Batch == batch && a.Tokens == tokens) return a;
        // A new shape re-carves the existing allocations where they fit (PPO minibatches change length every call).
        if (_acts is null) _acts = new TrainingActivations(Config, batch, tokens);
        else _acts.Reshape(Config, batch, tokens);
        _positions = new int[batch * tokens];
        for (int i = 0; i < _positions.Length; i++) _positions[i] = i % tokens;
        return _acts;
    }

    /// <summary>
    /// Training forward over tokens [B, T] (positions 0..T−1 per row). Fills every saved activation up
    /// to <see cref="TrainingActivations.Hidden"/> [N, C] (final-norm output, the heads' input).
    /// </summary>
    public void Forward(ReadOnlySpan<int> tokens, int batch, int tokenCount)
    {
        if (tokens.Length != batch * tokenCount) throw new ArgumentException($"transformer forward: tokens has {tokens.Length} ids, expected B·T = {batch}·{tokenCount}");
        if (tokenCount > Config.MaxPositionEmbeddings) throw new ArgumentException($"transformer forward: T = {tokenCount} exceeds max_position_embeddings {Config.MaxPositionEmbeddings}");
        var a = EnsureActivations(batch, tokenCount);
        var s = a.Saved;
        var p = Parameters;
        int n = a.Rows, c = Config.HiddenSize;
        float eps = Config.RmsNormEps;

        if (_lastTokens.Length != tokens.Length) _lastTokens = new int[tokens.Length];
        tokens.CopyTo(_lastTokens);
        Kernels.EmbeddingForward(tokens, p.View(Layout.Embedding), c, s.View(a.Layers[0].Input));
        for (int l = 0; l < Config.LayerCount; l++)
        {
            var la = a.Layers[l];
            var buffers = new LayerBuffers
            {
                Input = s.View(la.Input), Norm1 = s.View(la.Norm1), Rstd1 = s.View(la.Rstd1),
                Q = s.View(la.Q), K = s.View(la.K), V = s.View(la.V), Probs = s.View(la.Probs), Attn = s.View(la.Attn),
                Mid = s.View(la.Mid), Norm2 = s.View(la.Norm2), Rstd2 = s.View(la.Rstd2),
                Gate = s.View(la.Gate), Up = s.View(la.Up), Act = s.View(la.Act),
                Output = l + 1 < Config.LayerCount ? s.View(a.Layers[l + 1].Input) : s.View(a.Output),
            };
            if (Config.QkNorm)
            {
                buffers.QRaw = s.View(la.QRaw!); buffers.KRaw = s.View(la.KRaw!);
                buffers.QRstd = s.View(la.QRstd!); buffers.KRstd = s.View(la.KRstd!);
            }
            ForwardLayer(l, buffers, _positions, batch, tokenCount, cache: null, _gemm);
        }
        Kernels.RmsNormForward(s.View(a.Output), p.View(Layout.FinalNorm), n, c, eps, s.View(a.Hidden), s.View(a.RstdFinal));
    }

    /// <summary>LM head: logits [N, V] = hidden [N, C] · W[V, C]ᵀ (W = embedding when tied).</summary>
    public Span<float> LmHeadForward()
    {
        var a = Activations;
        var logits = a.Saved.View(a.Logits);
        _gemm.Multiply(Transpose.No, Transpose.Yes, a.Rows, Config.VocabSize, Config.HiddenSize,
            a.Saved.View(a.Hidden), Config.HiddenSize, Parameters.View(Layout.LmHead), Config.HiddenSize, false, logits, Config.VocabSize);
        return logits;
    }

    /// <summary>
    /// Per-token log-probs of <paramref name="targets"/> [N] (−1 = ignore) and entropies from the logits;
    /// returns the mean cross-entropy over non-ignored targets (0 when there are none).
    /// </summary>
    public float CrossEntropy(ReadOnlySpan<int> targets)
    {
        var a = Activations;
        var s = a.Saved;
        Kernels.LogSoftmaxForward(s.View(a.Logits), targets, a.Rows, Config.VocabSize, s.View(a.LogProbs), s.View(a.Entropy), s.View(a.Lse));
        double sum = 0; int count = 0;
        var lp = s.View(a.LogProbs);
        for (int i = 0; i < a.Rows; i++)
            if (targets[i] >= 0) { sum -= lp[i]; count++; }
        return count == 0 ? 0f : (float)(sum / count);
    }

    /// <summary>Forward + LM head + mean cross-entropy; returns the loss.</summary>
    public float ForwardLoss(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, int batch, int tokenCount)
    {
        Forward(tokens, batch, tokenCount);
        LmHeadForward();
        return CrossEntropy(targets);
    }

    /// <summary>Backward of the mean cross-entropy returned by <see cref="CrossEntropy"/> (accumulates into Gradients).</summary>
    public void BackwardLoss(ReadOnlySpan<int> targets)
    {
        var a = Activations;
        int count = 0;
        for (int i = 0; i < a.Rows; i++) if (targets[i] >= 0) count++;
        var dLogProbs = new float[a.Rows];
        if (count > 0) Array.Fill(dLogProbs, -1f / count);   // loss = −(1/count) Σ logp
        BackwardLogProbs(targets, dLogProbs, default);
    }

    /// <summary>
    /// Backward from upstream gradients on the per-token log-probs [N] and (optionally) entropies [N]:
    /// logits → LM head → the whole stack (accumulates into Gradients). RL losses enter here.
    /// </summary>
    public void BackwardLogProbs(ReadOnlySpan<int> targets, ReadOnlySpan<float> dLogProbs, ReadOnlySpan<float> dEntropy)
    {
        var a = Activations;
        var d = a.Scratch;
        var g = EnsureGradients();
        int n = a.Rows, c = Config.HiddenSize, v = Config.VocabSize;
        var dLogits = d.View(a.DLogits);
        Kernels.LogSoftmaxBackward(a.Saved.View(a.Logits), targets, a.Saved.View(a.Lse), dLogProbs, dEntropy, n, v, dLogits, accumulate: false);
        // logits = hidden · Wᵀ ⇒ dHidden = dLogits · W, dW += dLogitsᵀ · hidden
        var dHidden = d.View(a.DHidden);
        _gemm.Multiply(Transpose.No, Transpose.No, n, c, v, dLogits, v, Parameters.View(Layout.LmHead), c, false, dHidden, c);
        _gemm.Multiply(Transpose.Yes, Transpose.No, v, c, n, dLogits, v, a.Saved.View(a.Hidden), c, true, g.View(Layout.LmHead), c);
        Backward(dHidden);
    }

    /// <summary>
    /// Backward of the stack from dHidden [N, C] (gradient on the final-norm output, from any head):
    /// accumulates every parameter gradient. Scratch buffers are zeroed here as needed.
    /// </summary>
    public void Backward(ReadOnlySpan<float> dHidden)
    {
        var a = Activations;
        var s = a.Saved;
        var d = a.Scratch;
        var p = Parameters;
        var g = EnsureGradients();
        int n = a.Rows, c = Config.HiddenSize, qd = Config.QueryDim, kd = Config.KvDim, f = Config.IntermediateSize;

        var dRes = d.View(a.DResidual);   // gradient on the residual stream, walked backwards through the layers
        dRes.Clear();
        Kernels.RmsNormBackward(s.View(a.Output), p.View(Layout.FinalNorm), s.View(a.RstdFinal), dHidden, n, c, dRes, g.View(Layout.FinalNorm));
        for (int l = Config.LayerCount - 1; l >= 0; l--)
        {
            var w = Layout.Layers[l];
            var la = a.Layers[l];
            // out = mid + act · Wdownᵀ: dMid = dRes (same buffer), dAct = dRes · Wdown, dWdown += dResᵀ · act
            var dAct = d.View(a.DAct);
            _gemm.Multiply(Transpose.No, Transpose.No, n, f, c, dRes, c, p.View(w.DownWeight), f, false, dAct, f);
            _gemm.Multiply(Transpose.Yes, Transpose.No, c, f, n, dRes, c, s.View(la.Act), f, true, g.View(w.DownWeight), f);
            var dGate = d.View(a.DGate); var dUp = d.View(a.DUp);
            Kernels.SwiGluBackward(s.View(la.Gate), s.View(la.Up), dAct, dGate, dUp, accumulate: false);
            var dNorm = d.View(a.DNorm);
            LinearBackward(s.View(la.Norm2), p.View(w.GateWeight), dGate, n, c, f, dNorm, false, g.View(w.GateWeight), default);
            LinearBackward(s.View(la.Norm2), p.View(w.UpWeight), dUp, n, c, f, dNorm, true, g.View(w.UpWeight), default);
            Kernels.RmsNormBackward(s.View(la.Mid), p.View(w.PostNorm), s.View(la.Rstd2), dNorm, n, c, dRes, g.View(w.PostNorm));
            // mid = x + attn · Woᵀ: dX = dMid (same buffer), dAttn = dMid · Wo, dWo += dMidᵀ · attn
            var dAttn = d.View(a.DAttn);
            _gemm.Multiply(Transpose.No, Transpose.No, n, qd, c, dRes, c, p.View(w.OWeight), qd, false, dAttn, qd);
            _gemm.Multiply(Transpose.Yes, Transpose.No, c, qd, n, dRes, c, s.View(la.Attn), qd, true, g.View(w.OWeight), qd);
            var dq = d.View(a.DQ); var dk = d.View(a.DK); var dv = d.View(a.DV);
            dq.Clear(); dk.Clear(); dv.Clear();
            Kernels.AttentionBackward(s.View(la.Q), s.View(la.K), s.View(la.V), s.View(la.Probs), dAttn,
                a.Batch, a.Tokens, Config.HeadCount, Config.KvHeadCount, Config.HeadDim, dq, dk, dv);
            if (Config.UsesRope(l))
            {
                Kernels.RopeBackward(_positions, _ropeCos, _ropeSin, Config.HeadCount, Config.HeadDim, dq);
                Kernels.RopeBackward(_positions, _ropeCos, _ropeSin, Config.KvHeadCount, Config.HeadDim, dk);
            }
            if (Config.QkNorm)
            {
                // q = q_norm(q_raw) per head (rows N·H of width D): dq now holds the gradient on the normalised q
                dq = HeadNormBackward(s.View(la.QRaw!), p.View(w.QNorm!), s.View(la.QRstd!), dq, n * Config.HeadCount, d.View(a.DQRaw!), g.View(w.QNorm!));
                dk = HeadNormBackward(s.View(la.KRaw!), p.View(w.KNorm!), s.View(la.KRstd!), dk, n * Config.KvHeadCount, d.View(a.DKRaw!), g.View(w.KNorm!));
            }
            LinearBackward(s.View(la.Norm1), p.View(w.QWeight), dq, n, c, qd, dNorm, false, g.View(w.QWeight), w.QBias is null ? default : g.View(w.QBias));
            LinearBackward(s.View(la.Norm1), p.View(w.KWeight), dk, n, c, kd, dNorm, true, g.View(w.KWeight), w.KBias is null ? default : g.View(w.KBias));
            LinearBackward(s.View(la.Norm1), p.View(w.VWeight), dv, n, c, kd, dNorm, true, g.View(w.VWeight), w.VBias is null ? default : g.View(w.VBias));
            Kernels.RmsNormBackward(s.View(la.Input), p.View(w.InputNorm), s.View(la.Rstd1), dNorm, n, c, dRes, g.View(w.InputNorm));
        }
        Kernels.EmbeddingBackward(_lastTokens, dRes, c, g.View(Layout.Embedding));
    }

    /// <summary>Backward of the per-head q/k RMSNorm: returns dRaw (zeroed, then filled) from dNormed; accumulates dWeight [D].</summary>
    private Span<float> HeadNormBackward(ReadOnlySpan<float> raw, ReadOnlySpan<float> weight, ReadOnlySpan<float> rstd, ReadOnlySpan<float> dNormed,
        int headRows, Span<float> dRaw, Span<float> dWeight)
    {
        dRaw.Clear();
        Kernels.RmsNormBackward(raw, weight, rstd, dNormed, headRows, Config.HeadDim, dRaw, dWeight);
        return dRaw;
    }

    /// <summary>Where one layer's forward reads and writes (saved activations or inference scratch).
    /// QRaw/KRaw/QRstd/KRstd are used only with QkNorm (QRaw may be Q itself: the norm then runs in place).</summary>
    private ref struct LayerBuffers
    {
        public Span<float> Input, Norm1, Rstd1, Q, K, V, Probs, Attn, Mid, Norm2, Rstd2, Gate, Up, Act, Output;
        public Span<float> QRaw, KRaw, QRstd, KRstd;
    }

    /// <summary>
    /// One decoder layer over rows = batch·tokens. Without a cache: causal attention within each of the
    /// batch sequences (training, probs saved). With a cache: the batch is cache sequences
    /// [first, first + batch); their keys/values are appended at each one's length, then attention reads
    /// the cache (tokens = 1: decode) or runs causally within the new tokens (a prefill into an empty
    /// cache). Projections go through <paramref name="packed"/> when given, else <paramref name="gemm"/>.
    /// </summary>
    private void ForwardLayer(int layer, in LayerBuffers b, ReadOnlySpan<int> positions, int batch, int tokens, KvCache? cache,
        IGemm gemm, DecodeWeights.Layer? packed = null, int first = 0)
    {
        var w = Layout.Layers[layer];
        var p = Parameters;
        int n = batch * tokens, c = Config.HiddenSize, qd = Config.QueryDim, kd = Config.KvDim, f = Config.IntermediateSize;
        float eps = Config.RmsNormEps;
        Kernels.RmsNormForward(b.Input, p.View(w.InputNorm), n, c, eps, b.Norm1, b.Rstd1);
        bool qkNorm = w.QNorm is not null;
        Linear(packed?.Q, gemm, b.Norm1, p.View(w.QWeight), w.QBias is null ? default : p.View(w.QBias), n, c, qd, false, qkNorm ? b.QRaw : b.Q);
        Linear(packed?.K, gemm, b.Norm1, p.View(w.KWeight), w.KBias is null ? default : p.View(w.KBias), n, c, kd, false, qkNorm ? b.KRaw : b.K);
        Linear(packed?.V, gemm, b.Norm1, p.View(w.VWeight), w.VBias is null ? default : p.View(w.VBias), n, c, kd, false, b.V);
        if (qkNorm)
        {
            Kernels.RmsNormForward(b.QRaw, p.View(w.QNorm!), n * Config.HeadCount, Config.HeadDim, eps, b.Q, b.QRstd);
            Kernels.RmsNormForward(b.KRaw, p.View(w.KNorm!), n * Config.KvHeadCount, Config.HeadDim, eps, b.K, b.KRstd);
        }
        if (Config.UsesRope(layer))
        {
            Kernels.RopeForward(positions, _ropeCos, _ropeSin, Config.HeadCount, Config.HeadDim, b.Q);
            Kernels.RopeForward(positions, _ropeCos, _ropeSin, Config.KvHeadCount, Config.HeadDim, b.K);
        }
        cache?.Append(layer, b.K, b.V, tokens, first, batch);
        if (cache is null || tokens > 1)
        {
            Kernels.AttentionForward(b.Q, b.K, b.V, batch, tokens, Config.HeadCount, Config.KvHeadCount, Config.HeadDim, b.Attn, b.Probs);
        }
        else
        {
            int offset = first * cache.Capacity * kd, length = batch * cache.Capacity * kd;
            Kernels.AttentionDecode(b.Q, cache.Keys(layer).Slice(offset, length), cache.Values(layer).Slice(offset, length),
                cache.PendingLengths.Slice(first, batch), batch, cache.Capacity, Config.HeadCount, Config.KvHeadCount, Config.HeadDim, b.Attn);
        }
        // mid = x + attn · Woᵀ  (copy x, then accumulate the projection)
        b.Input.CopyTo(b.Mid);
        Linear(packed?.O, gemm, b.Attn, p.View(w.OWeight), default, n, qd, c, true, b.Mid);
        Kernels.RmsNormForward(b.Mid, p.View(w.PostNorm), n, c, eps, b.Norm2, b.Rstd2);
        Linear(packed?.Gate, gemm, b.Norm2, p.View(w.GateWeight), default, n, c, f, false, b.Gate);
        Linear(packed?.Up, gemm, b.Norm2, p.View(w.UpWeight), default, n, c, f, false, b.Up);
        Kernels.SwiGluForward(b.Gate, b.Up, b.Act);
        // out = mid + act · Wdownᵀ
        b.Mid.CopyTo(b.Output);
        Linear(packed?.Down, gemm, b.Act, p.View(w.DownWeight), default, n, f, c, true, b.Output);
    }

    /// <summary>
    /// y [N, out] (+)= x [N, in] · W[out, in]ᵀ (+ bias [out] when non-empty), through the packed copy of W
    /// when given, else <paramref name="gemm"/>.
    /// </summary>
    private static void Linear(PackedMatrix? packed, IGemm gemm, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int rows, int inDim, int outDim, bool accumulate, Span<float> y)
    {
        if (packed is not null) packed.Multiply(x, inDim, rows, accumulate, y, outDim);
        else gemm.Multiply(Transpose.No, Transpose.Yes, rows, outDim, inDim, x, inDim, weight, inDim, accumulate, y, outDim);
        if (!bias.IsEmpty) Kernels.BiasForward(bias, rows, y);
    }

    /// <summary>Backward of <see cref="Linear"/>: dx (+)= dy · W (overwrites when !accumulateDx), dW += dyᵀ · x, dBias += Σ dy.</summary>
    private void LinearBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> dy, int rows, int inDim, int outDim,
        Span<float> dx, bool accumulateDx, Span<float> dWeight, Span<float> dBias)
    {
        _gemm.Multiply(Transpose.No, Transpose.No, rows, inDim, outDim, dy, outDim, weight, inDim, accumulateDx, dx, inDim);
        _gemm.Multiply(Transpose.Yes, Transpose.No, outDim, inDim, rows, dy, outDim, x, inDim, true, dWeight, inDim);
        if (!dBias.IsEmpty) Kernels.BiasBackward(dy, rows, dBias);
    }

    public void Dispose()
    {
        _acts?.Dispose();
        Parameters.Dispose();
        Gradients?.Dispose();
        DisposeDecode();
    }
}
