// Transformer, part 2: inference forward with a KV cache — a prefill of the prompt into an empty
// cache and single-token decode steps — returning last-position logits. The layer body is the same
// ForwardLayer the training forward uses; only attention differs (it reads the cache).
// What it is not: the sampler (Sampler) or a generation loop (Generator).
// Glossary: B sequences, n new tokens per sequence, C width, V vocab, S cache capacity.
using ReasonRL.Tensors;

namespace ReasonRL.Models;

public sealed partial class Transformer
{
    private InferenceBuffers? _prefillBuffers, _decodeBuffers;

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
        for (int l = 0; l < Config.LayerCount; l++)
        {
            var b = new LayerBuffers
            {
                Input = s[l % 2 == 0 ? "x0" : "x1"], Norm1 = s["norm"], Rstd1 = s["rstd"], Q = s["q"], K = s["k"], V = s["v"],
                Probs = s["probs"], Attn = s["attn"], Mid = s["mid"], Norm2 = s["norm"], Rstd2 = s["rstd"],
                Gate = s["gate"], Up = s["up"], Act = s["act"], Output = s[l % 2 == 0 ? "x1" : "x0"],
            };
            ForwardLayer(l, b, buf.Positions, batch, n, cache);
        }
        cache.Commit();
        // final norm and LM head on each sequence's last row only
        var x = s[Config.LayerCount % 2 == 0 ? "x0" : "x1"];
        var last = s["last"];
        for (int b = 0; b < batch; b++) x.Slice(((b + 1) * n - 1) * c, c).CopyTo(last.Slice(b * c, c));
        Kernels.RmsNormForward(last, Parameters.View(Layout.FinalNorm), batch, c, Config.RmsNormEps, s["last_norm"], s["last_rstd"]);
        var logits = s["logits"];
        _gemm.Multiply(Transpose.No, Transpose.Yes, batch, Config.VocabSize, c, s["last_norm"], c, Parameters.View(Layout.LmHead), c, false, logits, Config.VocabSize);
        return logits;
    }

    private void DisposeDecode()
    {
        _prefillBuffers?.Dispose();
        _decodeBuffers?.Dispose();
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
            l.Add("last", batch, c); l.Add("last_norm", batch, c); l.Add("last_rstd", batch); l.Add("logits", batch, config.VocabSize);
            Slab = new NativeSlab(l);
            Positions = new int[rows];
        }

        public void Dispose() => Slab.Dispose();
    }
}
