// Transformer, part 2: inference forward with a KV cache — a prefill of the prompt into an empty
// cache and single-token decode steps — returning last-position logits. Batch-1 calls use the same
// ForwardLayer as the training forward (only attention differs: it reads the cache).
// Batched calls (B ≥ 2: prefills and decode steps) take ForwardSequences instead: every sequence is
// independent through the whole stack, so the batch is split across cores ONCE per call and each
// slice runs all layers on its thread (kernels inline in a SerialScope, projections through
// per-generation packed weights), instead of forking inside each of ~35 kernels per step.
// What it is not: the sampler (Sampler) or a generation loop (Generator).
// Glossary: B sequences, n new tokens per sequence, C width, V vocab, S cache capacity.
using ReasonRL.Tensors;
using System.Runtime.CompilerServices;

namespace ReasonRL.Models;

public sealed partial class Transformer
{
    private InferenceBuffers? _prefillBuffers, _decodeBuffers;
    private DecodeWeights? _decodeWeights;

    /// <summary>Batch size from which prefills and decode steps take the sequence-split, packed-weight path.</summary>
    private const int BatchedDecodeMinBatch = 2;

    /// <summary>
    /// Most projection + LM-head floats for which batched calls keep a packed copy of the weights (the
    /// copy costs as much memory as the weights: 2^27 floats = 512 MiB); larger models project through a
    /// serial ManagedGemm on each core's slice instead (its unpacked dot-product path for small M).
    /// Zero (never pack) where AVX-512 is not accelerated: PackedMatrix's 8×32 kernel is Vector512, which
    /// is exact but slow in software there, while the serial ManagedGemm path uses the AVX2 kernels.
    /// </summary>
    internal long PackedWeightLimit { get; set; } = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 1L << 27 : 0;

    private static readonly ManagedGemm s_sliceGemm = new() { Parallel = false };

    /// <summary>
    /// Runs tokens [B, n] through the model, appending their keys/values to <paramref name="cache"/>,
    /// and returns the logits of each sequence's last new token [B, V] (valid until the next call).
    /// n &gt; 1 is a prefill and needs an empty cache; n = 1 is a decode step at each sequence's length.
    /// </summary>
    public Span<float> ForwardCached(ReadOnlySpan<int> tokens, int tokensPerSequence, KvCache cache)
    {
        int batch = cache.Batch, n = tokensPerSequence;
        if (n < 1 || tokens.Length != batch * n) throw new ArgumentException($"transformer decode: tokens has {tokens.Length} ids, expected B·n = {batch}·{n}");
        if (n > 1)
            foreach (var len in cache.Lengths)
                if (len != 0) throw new InvalidOperationException("transformer decode: a multi-token prefill needs an empty cache (call cache.Reset())");
        ref var slot = ref (n == 1 ? ref _decodeBuffers : ref _prefillBuffers);
        if (slot is null || slot.Batch != batch || slot.Tokens != n)
        {
            slot?.Dispose();
            slot = new InferenceBuffers(Config, batch, n);
        }
        var buf = slot;
        var s = buf.Slab;
        cache.NextPositions(n, buf.Positions);
        int c = Config.HiddenSize;
        Kernels.EmbeddingForward(tokens, Parameters.View(Layout.Embedding), c, s["x0"]);
        if (batch >= BatchedDecodeMinBatch) ForwardSliced(buf, cache, n);
        else ForwardSequences(buf, cache, packed: null, 0, batch, n, _gemm);
        cache.Commit();
        return s["logits"];
    }

    /// <summary>
    /// n tokens per sequence, x0 [B·n, C] already embedded: splits the B sequences into one contiguous
    /// slice per core and runs <see cref="ForwardSequences"/> on each with its kernels inline (a
    /// SerialScope) and the per-generation packed weights when the model is small enough.
    /// </summary>
    private void ForwardSliced(InferenceBuffers buf, KvCache cache, int n)
    {
        DecodeWeights? packed = null;
        if (DecodeWeights.FloatCount(Config) <= PackedWeightLimit)
        {
            packed = _decodeWeights ??= new DecodeWeights(Config, Layout);
            packed.EnsurePacked(Parameters, cache.Epoch);
        }
        // already inside someone's serial region: stay on this thread
        int batch = cache.Batch, slices = Kernels.InSerialScope ? 1 : Math.Min(Kernels.WorkerCount, batch);
        void Slice(int sl)
        {
            using var serial = Kernels.Serial();
            int first = (int)((long)batch * sl / slices), end = (int)((long)batch * (sl + 1) / slices);
            ForwardSequences(buf, cache, packed, first, end - first, n, s_sliceGemm);
        }
        if (slices <= 1) Slice(0);
        else Parallel.For(0, slices, Kernels.Workers, Slice);
    }

    /// <summary>
    /// Sequences [first, first + count), n tokens each, through every layer (ForwardLayer on slices of the
    /// inference buffers), the final norm and the LM head (last token of each), writing their rows of
    /// "logits"; projections through <paramref name="packed"/> when given, else <paramref name="gemm"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardSequences(InferenceBuffers buf, KvCache cache, DecodeWeights? packed, int first, int count, int n, IGemm gemm)
    {
        var s = buf.Slab;
        int r0 = first * n, rows = count * n;
        int c = Config.HiddenSize, qd = Config.QueryDim, kd = Config.KvDim, f = Config.IntermediateSize, v = Config.VocabSize, heads = Config.HeadCount;
        var positions = buf.Positions.AsSpan(r0, rows);
        var norm = s["norm"].Slice(r0 * c, rows * c);
        var rstd = s["rstd"].Slice(r0, rows);
        var x = s["x0"].Slice(r0 * c, rows * c);
        var output = s["x1"].Slice(r0 * c, rows * c);
        for (int l = 0; l < Config.LayerCount; l++)
        {
            var b = new LayerBuffers
            {
                Input = x, Norm1 = norm, Rstd1 = rstd, Q = s["q"].Slice(r0 * qd, rows * qd), K = s["k"].Slice(r0 * kd, rows * kd), V = s["v"].Slice(r0 * kd, rows * kd),
                Probs = n > 1 ? s["probs"].Slice(first * heads * n * n, count * heads * n * n) : default, Attn = s["attn"].Slice(r0 * qd, rows * qd),
                Mid = s["mid"].Slice(r0 * c, rows * c), Norm2 = norm, Rstd2 = rstd,
                Gate = s["gate"].Slice(r0 * f, rows * f), Up = s["up"].Slice(r0 * f, rows * f), Act = s["act"].Slice(r0 * f, rows * f), Output = output,
            };
            if (Config.QkNorm)
            {
                // q_norm / k_norm in place (inference keeps no pre-norm copy)
                b.QRaw = b.Q; b.KRaw = b.K;
                b.QRstd = s["q_rstd"].Slice(r0 * heads, rows * heads);
                b.KRstd = s["k_rstd"].Slice(r0 * Config.KvHeadCount, rows * Config.KvHeadCount);
            }
            ForwardLayer(l, b, positions, count, n, cache, gemm, packed?.Layers[l], first);
            var next = output;
            output = x;
            x = next;
        }
        // final norm and LM head on each sequence's last token only: x [count·n, C] → last [count, C]
        var last = s["last"].Slice(first * c, count * c);
        for (int b = 0; b < count; b++) x.Slice(((b + 1) * n - 1) * c, c).CopyTo(last.Slice(b * c, c));
        var lastNorm = s["last_norm"].Slice(first * c, count * c);
        Kernels.RmsNormForward(last, Parameters.View(Layout.FinalNorm), count, c, Config.RmsNormEps, lastNorm, s["last_rstd"].Slice(first, count));
        Linear(packed?.LmHead, gemm, lastNorm, Parameters.View(Layout.LmHead), default, count, c, v, false, s["logits"].Slice(first * v, count * v));
    }

    private void DisposeDecode()
    {
        _prefillBuffers?.Dispose();
        _decodeBuffers?.Dispose();
        _decodeWeights?.Dispose();
    }

    /// <summary>Scratch of one inference forward shape (B, n): reused across calls of that shape.</summary>
    private sealed class InferenceBuffers : IDisposable
    {
        public int Batch { get; }
        public int Tokens { get; }
        public NativeSlab Slab { get; }
        public int[] Positions { get; }

        public InferenceBuffers(ModelConfig config, int batch, int tokens)
        {
            Batch = batch;
            Tokens = tokens;
            int rows = batch * tokens, c = config.HiddenSize;
            var l = new SlabLayout();
            l.Add("x0", rows, c); l.Add("x1", rows, c); l.Add("norm", rows, c); l.Add("rstd", rows);
            l.Add("q", rows, config.QueryDim); l.Add("k", rows, config.KvDim); l.Add("v", rows, config.KvDim);
            l.Add("probs", tokens > 1 ? batch * config.HeadCount * tokens * tokens : 0);
            l.Add("attn", rows, config.QueryDim); l.Add("mid", rows, c);
            l.Add("gate", rows, config.IntermediateSize); l.Add("up", rows, config.IntermediateSize); l.Add("act", rows, config.IntermediateSize);
            l.Add("q_rstd", config.QkNorm ? rows * config.HeadCount : 0); l.Add("k_rstd", config.QkNorm ? rows * config.KvHeadCount : 0);
            l.Add("last", batch, c); l.Add("last_norm", batch, c); l.Add("last_rstd", batch); l.Add("logits", batch, config.VocabSize);
            Slab = new NativeSlab(l);
            Positions = new int[rows];
        }

        public void Dispose() => Slab.Dispose();
    }
}
